// The probe app's experiment interrupted at every request, under runtime access tracking with open global tables
// (interrupted-cases.ts).
import { describeInterrupted, requestsOf, SETTINGS } from './interrupted-cases.ts'

describeInterrupted(SETTINGS.tracking, await requestsOf(SETTINGS.tracking))
