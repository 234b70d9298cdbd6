// The common shape of a demand line read straight from its UTF-8 bytes, without decoding the line or
// building its object: `{"type":"Feature","properties":{…},"geometry":{"type":"Point",
// "coordinates":[lon,lat]}}` with flat properties. JSON.parse and the object it builds were most of a
// 1M-point run's reading (issue #16); anything else (nesting in properties, escapes, duplicate keys,
// a third coordinate, a member other than type, id, properties and geometry) is left to JSON.parse,
// so this path only ever gives what the full one would.

/** What a plain demand line holds: its position, population and community id. */
export interface PlainDemandLine {
  lon: number;
  lat: number;
  population: number;
  /** `community_id`, else `community`, as core's validator reads it (trimmed text or a number), or null. */
  communityId: string | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

// Powers of ten a double holds exactly: an integer below 2^53 divided or multiplied by one of them is
// correctly rounded, so equal to what JSON.parse gives for the same digits.
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT_DIGITS = 15;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A value read from the line: a number, a string (its byte range), true/false/null, or something else. */
enum Kind {
  Number,
  String,
  Literal,
}

/**
 * The member names the plain shape reads, matched on the bytes: building each name as a string cost a
 * million lines about a thousand bytes of garbage a line (a scavenge every 10,000 lines).
 */
enum Name {
  /** Not a member name (no opening quote, an escape, no colon): the line is not plain. */
  None,
  /** A name the shape does not read (ignored in properties, not plain elsewhere). */
  Other,
  Type,
  Id,
  Properties,
  Geometry,
  Population,
  CommunityId,
  Community,
  Coordinates,
}

/** ASCII text as bytes, to compare with a line's bytes where they stand. */
const bytesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

// The line most files write, less its three values (see DemandLineScanner's exactLine).
const EXACT_HEAD = bytesOf('{"type":"Feature","properties":{"population":');
const EXACT_COMMUNITY_ID = bytesOf(',"community_id":');
const EXACT_GEOMETRY = bytesOf('},"geometry":{"type":"Point","coordinates":[');
const EXACT_TAIL = bytesOf(']}}');
/** The longest string of that line bar the id: the general reading's string limit must pass it. */
const EXACT_LONGEST_NAME = 'community_id'.length;

/**
 * Slots of the community-id cache: a file names each community on thousands of lines, so its id's
 * string is made once and then found by its bytes. 65,536 slots hold a province's 50,000 communities
 * with few evictions; a slot holds one id, and a miss builds the string as before.
 */
const ID_CACHE_SLOTS = 1 << 16;
/** Longer ids are not cached (a hash and a comparison over them would cost what building them does). */
const ID_CACHE_MAX_BYTES = 64;

/**
 * Reads one line's bytes `[start, end)`; null when the line is not of the plain shape (the caller then
 * parses it as JSON). Throws a TypeError when a string in it is not UTF-8, as a fatal decoder does.
 */
export class DemandLineScanner {
  /**
   * `maxStringBytes`: the longest string taken (longer ones are left to the full path and its
   * `maxPropertyLength`). The shape nests three deep, within any `maxDepth` of 3 or more.
   */
  constructor(private readonly maxStringBytes: number) {}

  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private end = 0;
  // The last value read.
  private kind = Kind.Literal;
  private number = 0;
  private stringStart = 0;
  private stringEnd = 0;
  /** The last string decoded when it is not ASCII (checked as UTF-8 as soon as it is read). */
  private stringText = '';
  private stringAscii = true;
  /** Whether the last value was `null`. */
  private isNull = false;
  private readonly result: PlainDemandLine = { lon: 0, lat: 0, population: 0, communityId: null };
  /** Community ids by a hash of their bytes ({@link ID_CACHE_SLOTS}); made on the first miss. */
  private idCache: (string | undefined)[] = [];

  scan(bytes: Uint8Array, start: number, end: number): PlainDemandLine | null {
    this.bytes = bytes;
    this.at = start;
    this.end = end;
    const exact = this.exactLine();
    if (exact !== null) return exact;
    this.at = start;
    let type = false;
    let properties = false;
    let geometry = false;
    let id = false;
    let population = Number.NaN;
    // `community_id ?? community` on the raw values: only a missing or null community_id gives way.
    let communityIdGiven = false;
    let communityGiven = false;
    let communityIdText: string | null = null;
    let communityText: string | null = null;
    if (!this.take(OPEN_BRACE)) return null;
    for (;;) {
      const key = this.key();
      if (key === Name.Type) {
        if (type || !this.stringValue('Feature')) return null;
        type = true;
      } else if (key === Name.Id) {
        if (id || !this.value() || this.kind === Kind.Literal) return null;
        id = true;
      } else if (key === Name.Properties) {
        if (properties || !this.take(OPEN_BRACE)) return null;
        properties = true;
        // A repeated member that matters is left to JSON.parse (which keeps the last).
        let populationSeen = false;
        let communityIdSeen = false;
        let communitySeen = false;
        if (!this.take(CLOSE_BRACE)) {
          for (;;) {
            const name = this.key();
            if (name === Name.None || !this.value()) return null;
            if (name === Name.Population) {
              if (populationSeen || this.kind !== Kind.Number) return null;
              populationSeen = true;
              population = this.number;
            } else if (name === Name.CommunityId) {
              if (communityIdSeen) return null;
              communityIdSeen = true;
              communityIdGiven = !this.isNull;
              communityIdText = this.text();
            } else if (name === Name.Community) {
              if (communitySeen) return null;
              communitySeen = true;
              communityGiven = !this.isNull;
              communityText = this.text();
            }
            if (this.take(CLOSE_BRACE)) break;
            if (!this.take(COMMA)) return null;
          }
        }
      } else if (key === Name.Geometry) {
        if (geometry || !this.point()) return null;
        geometry = true;
      } else return null;
      if (this.take(CLOSE_BRACE)) break;
      if (!this.take(COMMA)) return null;
    }
    this.space();
    if (this.at !== this.end || !type || !geometry || Number.isNaN(population)) return null;
    const result = this.result;
    result.population = population;
    result.communityId = communityIdGiven ? communityIdText : communityGiven ? communityText : null;
    return result;
  }

  /**
   * The line as most files write it, byte for byte: {@link EXACT_HEAD}, a population, a string
   * `community_id`, {@link EXACT_GEOMETRY}, two coordinates and {@link EXACT_TAIL}, with no space.
   * Read without telling members apart; what it gives is what the general reading below gives for
   * the same bytes (the same value readers), and null sends any other line to it.
   */
  private exactLine(): PlainDemandLine | null {
    // Under a string limit shorter than a member name the general reading takes no line.
    if (this.maxStringBytes < EXACT_LONGEST_NAME || !this.literal(EXACT_HEAD) || !this.bareNumber())
      return null;
    const population = this.number;
    if (!this.literal(EXACT_COMMUNITY_ID) || this.bytes[this.at] !== QUOTE) return null;
    this.at++;
    this.kind = Kind.String;
    if (!this.stringRest()) return null;
    const communityId = this.text();
    if (!this.literal(EXACT_GEOMETRY) || !this.bareNumber()) return null;
    const lon = this.number;
    if (this.bytes[this.at] !== COMMA) return null;
    this.at++;
    if (!this.bareNumber()) return null;
    const lat = this.number;
    if (!this.literal(EXACT_TAIL) || this.at !== this.end) return null;
    const result = this.result;
    result.lon = lon;
    result.lat = lat;
    result.population = population;
    result.communityId = communityId;
    return result;
  }

  /** Whether `literal`'s bytes stand at the cursor (then passed), with no space before them. */
  private literal(literal: Uint8Array): boolean {
    const { bytes, at } = this;
    if (at + literal.length > this.end) return false;
    for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal[i]) return false;
    this.at = at + literal.length;
    return true;
  }

  /** A number at the cursor, with no space before it (as {@link value} reads one). */
  private bareNumber(): boolean {
    const c = this.bytes[this.at];
    if (c !== MINUS && !(c !== undefined && c >= ZERO && c <= NINE)) return false;
    this.kind = Kind.Number;
    return this.numberRest();
  }

  /** `{"type":"Point","coordinates":[lon,lat]}` in either member order. */
  private point(): boolean {
    if (!this.take(OPEN_BRACE)) return false;
    let type = false;
    let coordinates = false;
    for (;;) {
      const key = this.key();
      if (key === Name.Type && !type) {
        if (!this.stringValue('Point')) return false;
        type = true;
      } else if (key === Name.Coordinates && !coordinates) {
        if (!this.take(OPEN_BRACKET) || !this.value() || this.kind !== Kind.Number) return false;
        this.result.lon = this.number;
        if (!this.take(COMMA) || !this.value() || this.kind !== Kind.Number) return false;
        this.result.lat = this.number;
        if (!this.take(CLOSE_BRACKET)) return false;
        coordinates = true;
      } else return false;
      if (this.take(CLOSE_BRACE)) return type && coordinates;
      if (!this.take(COMMA)) return false;
    }
  }

  /** The last value as core's validator reads a community id: trimmed text, a number's text, or null. */
  private text(): string | null {
    if (this.kind === Kind.Number) return String(this.number);
    if (this.kind !== Kind.String) return null;
    const { bytes, stringStart, stringEnd } = this;
    const length = stringEnd - stringStart;
    // An ASCII string with no space at either end is its own trimmed text (control characters were
    // refused by stringRest, so a space is the only ASCII white space left): then the cache serves.
    if (
      this.stringAscii &&
      length > 0 &&
      length <= ID_CACHE_MAX_BYTES &&
      bytes[stringStart] !== 0x20 &&
      bytes[stringEnd - 1] !== 0x20
    ) {
      return this.cachedAscii();
    }
    const text = this.decoded().trim();
    return text === '' ? null : text;
  }

  /** The last string (ASCII) from the id cache, made and kept there when the slot holds another. */
  private cachedAscii(): string {
    const { bytes, stringStart, stringEnd } = this;
    // FNV-1a over the bytes.
    let hash = 0x811c9dc5;
    for (let i = stringStart; i < stringEnd; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const slot = hash & (ID_CACHE_SLOTS - 1);
    if (this.idCache.length === 0)
      this.idCache = new Array<string | undefined>(ID_CACHE_SLOTS).fill(undefined);
    const cached = this.idCache[slot];
    if (cached !== undefined && this.lastStringIs(cached)) return cached;
    const text = this.decoded();
    this.idCache[slot] = text;
    return text;
  }

  private decoded(): string {
    const { bytes, stringStart, stringEnd } = this;
    if (!this.stringAscii) return this.stringText;
    let text = '';
    for (let i = stringStart; i < stringEnd; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }

  /** A member name and its colon, as the {@link Name} it is; `None` when there is none (or it has escapes). */
  private key(): Name {
    if (!this.take(QUOTE)) return Name.None;
    if (!this.stringRest() || !this.take(COLON)) return Name.None;
    // Told apart by length (and one byte where two share it), then compared byte for byte: a name
    // with other than ASCII bytes matches none of these ASCII names.
    switch (this.stringEnd - this.stringStart) {
      case 2:
        return this.named('id', Name.Id);
      case 4:
        return this.named('type', Name.Type);
      case 8:
        return this.named('geometry', Name.Geometry);
      case 9:
        return this.named('community', Name.Community);
      case 10:
        return this.bytes[this.stringStart + 1] === 0x72
          ? this.named('properties', Name.Properties)
          : this.named('population', Name.Population);
      case 11:
        return this.named('coordinates', Name.Coordinates);
      case 12:
        return this.named('community_id', Name.CommunityId);
      default:
        return Name.Other;
    }
  }

  /** `name` when the last string is `text`, else `Other`. */
  private named(text: string, name: Name): Name {
    return this.lastStringIs(text) ? name : Name.Other;
  }

  /** Whether the last string's bytes are those of `text` (ASCII), length and all. */
  private lastStringIs(text: string): boolean {
    const { bytes, stringStart } = this;
    if (this.stringEnd - stringStart !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (bytes[stringStart + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** A string value equal to `expected` (ASCII). */
  private stringValue(expected: string): boolean {
    return this.value() && this.kind === Kind.String && this.lastStringIs(expected);
  }

  /** A flat value: a number, a string without escapes, true, false or null (no object or array). */
  private value(): boolean {
    this.space();
    this.isNull = false;
    const c = this.bytes[this.at];
    if (c === QUOTE) {
      this.at++;
      this.kind = Kind.String;
      return this.stringRest();
    }
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) {
      this.kind = Kind.Number;
      return this.numberRest();
    }
    for (const word of ['true', 'false', 'null']) {
      if (this.word(word)) {
        this.kind = Kind.Literal;
        this.isNull = word === 'null';
        return true;
      }
    }
    return false;
  }

  private word(word: string): boolean {
    if (this.at + word.length > this.end) return false;
    for (let i = 0; i < word.length; i++) if (this.bytes[this.at + i] !== word.charCodeAt(i)) return false;
    this.at += word.length;
    return true;
  }

  /** The rest of a string after its opening quote; false at an escape or control character. */
  private stringRest(): boolean {
    const { bytes, end } = this;
    let ascii = true;
    const start = this.at;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c === QUOTE) {
        if (i - start > this.maxStringBytes) return false;
        this.stringStart = start;
        this.stringEnd = i;
        this.stringAscii = ascii;
        // Every string is checked as UTF-8, as decoding the whole line would check it.
        if (!ascii) this.stringText = utf8.decode(bytes.subarray(start, i));
        this.at = i + 1;
        return true;
      }
      if (c === BACKSLASH || c < 0x20) return false;
      if (c >= 0x80) ascii = false;
    }
    return false;
  }

  /** A JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), valued exactly as JSON.parse values it. */
  private numberRest(): boolean {
    const { bytes, end } = this;
    const start = this.at;
    let i = start;
    const negative = bytes[i] === MINUS;
    if (negative) i++;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    const first = bytes[i];
    if (first === ZERO) i++;
    else if (first !== undefined && first > ZERO && first <= NINE && i < end) {
      while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) {
        mantissa = mantissa * 10 + (bytes[i]! - ZERO);
        if (mantissa !== 0) digits++;
        i++;
      }
    } else return false;
    if (i < end && bytes[i] === DOT) {
      i++;
      const from = i;
      while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) {
        mantissa = mantissa * 10 + (bytes[i]! - ZERO);
        if (mantissa !== 0) digits++;
        scale--;
        i++;
      }
      if (i === from) return false;
    }
    const exact = digits <= MAX_EXACT_DIGITS;
    if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
      i++;
      let exponentNegative = false;
      if (bytes[i] === PLUS || bytes[i] === MINUS) exponentNegative = bytes[i++] === MINUS;
      const from = i;
      let exponent = 0;
      while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) {
        if (exponent < 10_000) exponent = exponent * 10 + (bytes[i]! - ZERO);
        i++;
      }
      if (i === from) return false;
      scale += exponentNegative ? -exponent : exponent;
    }
    this.at = i;
    if (exact && scale >= -22 && scale <= 22 && (scale <= 0 || mantissa * EXACT_POWERS[scale]! < 2 ** 53)) {
      const magnitude = scale < 0 ? mantissa / EXACT_POWERS[-scale]! : mantissa * EXACT_POWERS[scale]!;
      this.number = negative ? -magnitude : magnitude;
      return true;
    }
    let text = '';
    for (let k = start; k < i; k++) text += String.fromCharCode(bytes[k]!);
    this.number = Number(text);
    return true;
  }

  private space(): void {
    const { bytes, end } = this;
    let i = this.at;
    while (i < end) {
      const c = bytes[i]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
      i++;
    }
    this.at = i;
  }

  private take(byte: number): boolean {
    this.space();
    if (this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }
}
