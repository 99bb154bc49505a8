// Every answer fault (429, 500, 503, the hibernation page, a login redirect) at every request of a first deploy
// (test/support/failure-matrix.ts); the connection faults are in fresh-deploy.test.ts.
import { appPackage, ANSWER_FAULTS, deployedState, describeMatrix, MatrixInstance } from '../support/failure-matrix.ts'

const zip = await appPackage()
const deploy = (inst: MatrixInstance) => ['deploy', '--yes', '--app-package', zip, '--credentials-out', inst.handoffPath]

describeMatrix(
  {
    name: 'a first deploy (answer faults)',
    start: () => MatrixInstance.start(),
    argv: deploy,
    converged: deployedState,
    again: (inst) => [...deploy(inst), '--json'],
  },
  ANSWER_FAULTS,
)
