import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';

/**
 * Regular expressions in data pills run on RE2 (re2js, pure JS), whose time
 * is linear in its input: a backtracking engine takes exponential time on
 * patterns like /^(a+)+$/, and cannot be interrupted while it does. RE2 has
 * no back-references or look-arounds; such a pattern is refused when its
 * subflow is published.
 */

/** A pattern RE2 cannot run; its message follows the quoted expression. */
export class UnsupportedRegex extends Error {
  override readonly name = 'UnsupportedRegex';
  constructor(regex: RegExp, reason: string) {
    // As written: JSONata's parser adds the g flag itself.
    const written = `/${regex.source}/${regex.flags.replace('g', '')}`;
    super(`uses the regular expression ${written}, which the linear-time (RE2) engine cannot run: ${reason}; rewrite it without back-references or look-arounds`);
  }
}

/** JSONata compiles a regex literal again each time it evaluates it, often once per item of a list. */
const compiled = new LRUCache<string, RE2JS>({ max: 500 });

/** The RE2 program for a JS regex (its source and its i and m flags); throws UnsupportedRegex. */
export function re2Pattern(regex: RegExp): RE2JS {
  const key = `${regex.flags}/${regex.source}`;
  let pattern = compiled.get(key);
  if (pattern === undefined) {
    try {
      pattern = RE2JS.compile(RE2JS.translateRegExp(regex));
    } catch (error) {
      throw new UnsupportedRegex(regex, error instanceof Error ? error.message : String(error));
    }
    compiled.set(key, pattern);
  }
  return pattern;
}

/**
 * JSONata's `RegexEngine`: what its regex functions use of a global RegExp,
 * `exec` from `lastIndex`, answered by RE2. JSONata hands it the RegExp its
 * parser made of the literal.
 */
export class Re2RegExp {
  lastIndex = 0;
  private readonly pattern: RE2JS;

  constructor(regex: RegExp) {
    this.pattern = re2Pattern(regex);
  }

  exec(text: string): RegExpExecArray | null {
    const matcher = this.pattern.matcher(text);
    if (this.lastIndex > text.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    // As RegExp does: the match, then each group, undefined where a group took no part.
    const groups = Array.from({ length: matcher.groupCount() + 1 }, (_, group) => matcher.group(group) ?? undefined);
    const match = Object.assign(groups, { index: matcher.start(), input: text });
    this.lastIndex = matcher.end();
    return match as RegExpExecArray;
  }
}
