/** Typed scheduler parameters: declare each once, compose them per scheduler, resolve per scenario (README "Parameters"). */
export { booleanParameter, choiceParameter, numberParameter, parsedParameter, type Parameter, type ParameterValue } from './declarations.js';
export { schedulerParameters, SchedulerParameterSet, type Declarations, type ParameterSetOptions, type ParameterSource, type ParameterValues } from './parameter-set.js';
export { ADMISSION_WATERMARK, REFERENCE_POLICY, ZERO3_COMMUNICATION_OVERLAP } from './shared.js';
