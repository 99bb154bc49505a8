// Every connection fault at every request of a first deploy (test/support/failure-matrix.ts); the answer faults are
// in fresh-deploy-answers.test.ts, so the two halves of the longest matrix run in parallel.
import { appPackage, CONNECTION_FAULTS, deployedState, describeMatrix, MatrixInstance } from '../support/failure-matrix.ts'

const zip = await appPackage()
const deploy = (inst: MatrixInstance) => ['deploy', '--yes', '--app-package', zip, '--credentials-out', inst.handoffPath]

describeMatrix(
  {
    name: 'a first deploy (connection faults)',
    start: () => MatrixInstance.start(),
    argv: deploy,
    converged: deployedState,
    again: (inst) => [...deploy(inst), '--json'],
  },
  CONNECTION_FAULTS,
)
