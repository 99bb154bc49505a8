// Every fault kind at every request of a deploy on an instance that is already deployed (test/support/failure-matrix.ts).
import { appPackage, deployedState, deployedTemplate, describeMatrix, MatrixInstance } from '../support/failure-matrix.ts'

const zip = await appPackage()
const deployed = await deployedTemplate(zip)
const deploy = (inst: MatrixInstance) => ['deploy', '--yes', '--app-package', zip, '--credentials-out', inst.handoffPath]

describeMatrix({
  name: 'a deploy on a deployed instance',
  start: () => deployed.start(),
  argv: deploy,
  converged: deployedState,
  again: (inst) => [...deploy(inst), '--json'],
})
