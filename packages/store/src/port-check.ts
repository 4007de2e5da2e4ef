import { isOperatorCondition, isPlainObject } from './condition.js';
import type { Filter, Update } from './port.js';

/*
 * Both adapters refuse anything outside the port, so a DAO written against the
 * embedded store (the default while developing) cannot come to depend on an
 * operator that behaves differently on MongoDB or FerretDB, or the reverse.
 */

const fieldOperators = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex']);
const updateOperators = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$min', '$max']);
// NeDB's RegExp#test is stateful with g/y, and PCRE/RE2 know no u/v/d.
const portableRegExpFlags = /^[ims]*$/;

export function checkFilter(filter: Filter): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      // MongoDB refuses an empty list; NeDB would read `$and: []` as true and `$or: []` as false.
      if (!Array.isArray(condition) || condition.length === 0) throw new Error(`${key} needs a non-empty list of filters`);
      for (const part of condition as Filter[]) checkFilter(part);
    } else if (key.startsWith('$')) {
      throw new Error(`filter operator ${key} is not part of the store port`);
    } else if (isOperatorCondition(condition)) {
      checkOperators(key, condition);
    } else {
      checkRegExp(key, condition);
    }
  }
}

function checkOperators(path: string, condition: Record<string, unknown>): void {
  for (const [operator, operand] of Object.entries(condition)) {
    if (!fieldOperators.has(operator)) throw new Error(`operator ${operator} on ${path} is not part of the store port`);
    if (operator === '$in' || operator === '$nin') {
      if (!Array.isArray(operand)) throw new Error(`${operator} on ${path} needs a list`);
      // MongoDB would match a RegExp in the list as a pattern, NeDB as a value.
      if (operand.some((value) => value instanceof RegExp)) throw new Error(`${operator} on ${path} cannot hold a RegExp; use $or with $regex`);
    }
    if (operator === '$regex' && !(operand instanceof RegExp)) throw new Error(`$regex on ${path} needs a RegExp`);
    checkRegExp(path, operand);
  }
}

function checkRegExp(path: string, value: unknown): void {
  if (value instanceof RegExp && !portableRegExpFlags.test(value.flags)) {
    throw new Error(`RegExp flags "${value.flags}" on ${path} are not portable; use i, m and s only`);
  }
}

export function checkUpdate(update: Update): void {
  const operators = Object.keys(update);
  // A bare document would replace the stored one in NeDB; the port has no replace.
  if (operators.length === 0) throw new Error('an update needs at least one operator, like $set');
  for (const operator of operators) {
    if (!updateOperators.has(operator)) throw new Error(`update operator ${operator} is not part of the store port`);
    if (!isPlainObject(update[operator as keyof Update])) throw new Error(`${operator} needs an object of field paths`);
  }
  for (const [path, value] of Object.entries(update.$pull ?? {})) {
    if (!isPullValue(value)) throw new Error(`$pull on ${path} takes a plain value (string, number, boolean, null or Date), not a condition or document`);
  }
}

/**
 * An upsert's filter holds plain values only (dotted paths allowed), so the
 * inserted document is the filter plus the update on every server: FerretDB v1
 * builds it differently from MongoDB out of `$and`, `$eq` next to another
 * operator, a RegExp or an embedded document.
 */
export function checkUpsertFilter(filter: Filter): void {
  for (const [path, value] of Object.entries(filter)) {
    if (path.startsWith('$') || value === undefined || value instanceof RegExp || isPlainObject(value)) {
      throw new Error(`an upsert's filter holds plain values only (dotted paths allowed), and ${path} is not one`);
    }
    if (path === '_id' && typeof value !== 'string') throw new Error("an upsert's filter _id must be a string");
  }
}

/** Everything an update call must satisfy. */
export function checkWrite(filter: Filter, update: Update, upsert: boolean): void {
  checkFilter(filter);
  checkUpdate(update);
  if (upsert) checkUpsertFilter(filter);
}

function isPullValue(value: unknown): boolean {
  return value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value);
}
