/**
 * HubSpot's error bodies: `{ status: 'error', message, correlationId, category, errors?, context? }`.
 * Source: https://developers.hubspot.com/docs/api/error-handling and the `Error` schema of the
 * CRM OpenAPI specs (shared/hubspot-openapi).
 */
import { randomUUID } from 'node:crypto';
import { SimError } from '../framework.js';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
}

export function errorBody(
  category: string,
  message: string,
  extra: { errors?: HubSpotErrorDetail[]; context?: Record<string, string[]>; subCategory?: string } = {},
) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function fail(status: number, category: string, message: string, extra?: Parameters<typeof errorBody>[2]): never {
  throw new SimError(status, errorBody(category, message, extra));
}

export const notFound = (message = 'resource not found'): never => fail(404, 'OBJECT_NOT_FOUND', message);
export const invalid = (message: string, extra?: Parameters<typeof errorBody>[2]): never => fail(400, 'VALIDATION_ERROR', message, extra);

/** One invalid property value, reported the way HubSpot's objects API does. */
export interface PropertyProblem {
  name: string;
  error:
    | 'PROPERTY_DOESNT_EXIST'
    | 'INVALID_OPTION'
    | 'INVALID_INTEGER'
    | 'INVALID_DATE'
    | 'INVALID_DATETIME'
    | 'INVALID_BOOLEAN'
    | 'READ_ONLY_VALUE'
    | 'INVALID_PRODUCT'
    /** A unique-value property's value another record holds. The code name is the simulator's (HubSpot's is undocumented). */
    | 'VALUE_NOT_UNIQUE';
  message: string;
}

/** 400 "Property values were not valid: [...]", with the same problems in `errors[]`. */
export function propertyValuesInvalid(problems: PropertyProblem[]): never {
  const listed = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
  }));
  return invalid(`Property values were not valid: ${JSON.stringify(listed)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
  });
}
