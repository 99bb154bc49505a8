// Every fault kind at every request of `uninstall --app` (test/support/failure-matrix.ts). Converged: nothing deploy
// created is left, nor the app, nor the Kandji choice (no CI names it).
import { appPackage, deployedTemplate, describeMatrix, uninstalledState } from '../support/failure-matrix.ts'

const deployed = await deployedTemplate(await appPackage())
const uninstall = () => ['uninstall', '--yes', '--app']

describeMatrix({
  name: 'uninstall --app',
  start: () => deployed.start(),
  argv: uninstall,
  converged: uninstalledState,
  again: uninstall,
})
