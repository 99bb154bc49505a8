// The probe app's experiment interrupted at every request, with the emulator's defaults (interrupted-cases.ts).
import { describeInterrupted, requestsOf, SETTINGS } from './interrupted-cases.ts'

describeInterrupted(SETTINGS.defaults, await requestsOf(SETTINGS.defaults))
