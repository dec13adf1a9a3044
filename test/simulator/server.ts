/**
 * Entry point of the Exotel simulator: everything tests, benchmarks and scripts import.
 * The simulator itself is core.ts (server, log, auth, faults, route table) plus one file per resource.
 */
export { ExotelSimulator, type LoggedRequest, type SimulatorCredentials, type SimulatorOptions } from './core';
export type { ApiRequest, Resource, ResourceContext, ResourceFactory, Route } from './routing';
export type { LoggedFile, LoggedMultipart } from './body';
export type { Fault, FaultMatch } from './faults';
export type { RateLimitOptions, RateLimitStats } from './rateLimit';
export type { ContactRecord, ListRecord, MembershipRecord, SimulatorState, UploadRecord, UploadStats } from './store';
export { newSid } from './store';
export { MAX_BULK_ITEMS } from './replies';
export { MAX_CSV_FILE_BYTES } from './csvUploads';
export { CsvError, parseCsv, parseCsvFrom } from './csv';
export { isValidNumber } from './validation';
export type { ApiFamily } from './routing';
export type { RateFamily } from './core';
export type { CallClock, CallOutcome, SeedCallsOptions } from './calls';
export type { CallbackDelivery, CallbackEncoding, CallbackPolicy } from './callbacks';
export type { ExoPhoneRecord, ExoPhoneSettings } from './exoPhones';
export type { NumberSettings } from './numbers';
export { numberMetadata } from './numbers';
export { RestError, indianNumber, nestPairs, parseV1Time, v1Time, type FormParams, type FormValue } from './v1Replies';
export type { SmsClock } from './sms';
