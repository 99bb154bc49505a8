// Every fault kind at every request of `rotate` (test/support/failure-matrix.ts). Converged: the rotated hand-off works
// (the deploy after it passes its smoke test with it) and nothing was created or left twice.
import { appPackage, deployedState, deployedTemplate, describeMatrix, MatrixInstance } from '../support/failure-matrix.ts'

const zip = await appPackage()
const deployed = await deployedTemplate(zip)

describeMatrix({
  name: 'rotate',
  start: () => deployed.start(),
  argv: (inst: MatrixInstance) => ['rotate', '--yes', '--credentials-out', inst.handoffPath],
  converged: deployedState,
  again: (inst) => ['deploy', '--yes', '--json', '--app-package', zip, '--credentials-out', inst.handoffPath],
})
