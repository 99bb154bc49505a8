// Every fault kind at every request of a first deploy (test/support/failure-matrix.ts).
import { appPackage, deployedState, describeMatrix, MatrixInstance } from '../support/failure-matrix.ts'

const zip = await appPackage()
const deploy = (inst: MatrixInstance) => ['deploy', '--yes', '--app-package', zip, '--credentials-out', inst.handoffPath]

describeMatrix({
  name: 'a first deploy',
  start: () => MatrixInstance.start(),
  argv: deploy,
  converged: deployedState,
  again: (inst) => [...deploy(inst), '--json'],
})
