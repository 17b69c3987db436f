import { inputError } from '../../util/input-error.js';

/**
 * A streaming reader for the top level of a Chrome-trace JSON document
 * (`{ "traceEvents": [ … ], "otherKey": … }`, or the spec's bare-array form `[ … ]`).
 *
 * Traces of hundreds of MB are common, so the document is never held whole: bytes are pushed in
 * chunks, the scanner tracks only nesting depth and string/escape state, and hands each element
 * of `traceEvents` to `onEvent` as raw bytes the moment its closing brace arrives. Other top-level
 * values (deviceProperties, distributedInfo, displayTimeUnit, …) are small; they are collected and
 * parsed. Memory is bounded by the largest single element, not by the file.
 *
 * Elements are checked for balanced structure here; `JSON.parse` validates the ones a reader
 * decides to decode, so an event the reader skips is never parsed at all.
 */
export interface RawTraceEvent {
  /** The element's bytes (valid until the handler returns). */
  readonly bytes: Buffer;
  /** 0-based position in `traceEvents`. */
  readonly index: number;
  /** 1-based line and byte column where the element starts. */
  readonly line: number;
  readonly column: number;
}

export interface ChromeTraceTopLevel {
  /** Every top-level key except traceEvents, parsed. */
  readonly otherKeys: Readonly<Record<string, unknown>>;
  readonly sawTraceEvents: boolean;
  readonly eventCount: number;
}

/** The largest single element accepted; a larger one means the file is not an event list. */
const MAX_ELEMENT_BYTES = 256 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

// Parser states for the structure around the values.
const BEFORE_ROOT = 0;
const KEY_OR_END = 1;
const IN_KEY = 2;
const COLON_NEXT = 3;
const VALUE_NEXT = 4;
const AFTER_VALUE = 5;
const ELEMENT_OR_END = 6;
const AFTER_ELEMENT = 7;
const DONE = 8;
const CAPTURING = 9;
/** After a comma: a key must follow (no trailing comma). */
const KEY_ONLY = 10;
/** After a comma in traceEvents: an element must follow. */
const ELEMENT_ONLY = 11;

// What a capture is collecting.
const CAPTURE_CONTAINER = 0;
const CAPTURE_STRING = 1;
const CAPTURE_SCALAR = 2;

/** First bytes of a number, true, false or null. */
function startsScalar(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `0x${c.toString(16).padStart(2, '0')}`;
}

export class ChromeTraceScanner {
  private state = BEFORE_ROOT;
  /** State to return to after a capture finishes. */
  private afterCapture = AFTER_VALUE;
  private captureKind = CAPTURE_CONTAINER;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  private captureLine = 1;
  private captureColumn = 1;
  private captureIsEvent = false;
  private rootIsArray = false;

  private keyBytes: number[] = [];
  private currentKey = '';
  private eventIndex = 0;
  private sawTraceEvents = false;
  private readonly otherKeys: Record<string, unknown> = {};

  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private firstChunk = true;

  constructor(
    private readonly file: string,
    private readonly onEvent: (event: RawTraceEvent) => void,
  ) {}

  private where(at: number): { line: number; column: number } {
    return { line: this.line, column: this.offset + at - this.lineStart + 1 };
  }

  private fail(at: number, message: string, value?: unknown): never {
    const { line, column } = this.where(at);
    throw inputError({ file: this.file, line, column, ...(value === undefined ? {} : { value }), message });
  }

  private startCapture(at: number, kind: number, isEvent: boolean, after: number): void {
    this.state = CAPTURING;
    this.captureKind = kind;
    this.afterCapture = after;
    this.captureIsEvent = isEvent;
    this.depth = kind === CAPTURE_CONTAINER ? 1 : 0;
    this.inString = kind === CAPTURE_STRING;
    this.escaped = false;
    this.pieces = [];
    this.piecesBytes = 0;
    const { line, column } = this.where(at);
    this.captureLine = line;
    this.captureColumn = column;
  }

  /** Finishes a capture whose last byte is `chunk[end - 1]`, starting at `chunk[start]` (or in earlier pieces). */
  private finishCapture(chunk: Buffer, start: number, end: number): void {
    const tail = chunk.subarray(start, end);
    const bytes = this.pieces.length === 0 ? tail : Buffer.concat([...this.pieces, tail]);
    this.pieces = [];
    this.piecesBytes = 0;
    this.state = this.afterCapture;
    if (this.captureIsEvent) {
      this.onEvent({ bytes, index: this.eventIndex, line: this.captureLine, column: this.captureColumn });
      this.eventIndex++;
      return;
    }
    const text = bytes.toString('utf8');
    try {
      this.otherKeys[this.currentKey] = JSON.parse(text);
    } catch (error) {
      throw inputError({
        file: this.file,
        line: this.captureLine,
        column: this.captureColumn,
        field: this.currentKey,
        value: text,
        message: `not valid JSON (${(error as Error).message})`,
      });
    }
  }

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.firstChunk && n > 0) {
      this.firstChunk = false;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    let captureStart = this.state === CAPTURING ? 0 : -1;
    while (i < n) {
      const c = chunk[i] as number;
      switch (this.state) {
        case CAPTURING: {
          if (captureStart < 0) captureStart = i;
          // The hot loop: most bytes of a trace are inside event objects.
          let done = -1;
          if (this.captureKind === CAPTURE_SCALAR) {
            for (; i < n; i++) {
              const b = chunk[i] as number;
              if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isWhitespace(b)) {
                done = i;
                break;
              }
            }
          } else {
            let depth = this.depth;
            let inString = this.inString;
            let escaped = this.escaped;
            for (; i < n; i++) {
              if (inString) {
                // Run to the closing quote in a tight loop: strings are most of a trace's bytes.
                if (escaped) {
                  escaped = false;
                  continue;
                }
                let b = chunk[i] as number;
                while (b !== QUOTE && b !== BACKSLASH) {
                  if (++i === n) break;
                  b = chunk[i] as number;
                }
                if (i === n) break;
                if (b === BACKSLASH) {
                  escaped = true;
                  continue;
                }
                inString = false;
                if (depth === 0) {
                  done = i + 1;
                  i++;
                  break;
                }
                continue;
              }
              const b = chunk[i] as number;
              if (b === QUOTE) inString = true;
              else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
              else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
                depth--;
                if (depth === 0) {
                  done = i + 1;
                  i++;
                  break;
                }
              } else if (b === NEWLINE) {
                this.line++;
                this.lineStart = this.offset + i + 1;
              }
            }
            this.depth = depth;
            this.inString = inString;
            this.escaped = escaped;
          }
          if (done >= 0) {
            this.finishCapture(chunk, captureStart, done);
            captureStart = -1;
            // A scalar ends at its delimiter, which the next state must see again.
            if (this.captureKind === CAPTURE_SCALAR) i = done;
          }
          continue;
        }
        default:
          break;
      }
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = this.offset + i + 1;
        i++;
        continue;
      }
      switch (this.state) {
        case BEFORE_ROOT:
          if (isWhitespace(c)) break;
          if (c === OPEN_BRACE) this.state = KEY_OR_END;
          else if (c === OPEN_BRACKET) {
            // The Chrome trace format's "JSON Array Format": the document is the event list.
            this.rootIsArray = true;
            this.sawTraceEvents = true;
            this.state = ELEMENT_OR_END;
          } else this.fail(i, `not a JSON trace: expected '{' at the start of the document, found '${describeByte(c)}'`);
          break;
        case KEY_OR_END:
        case KEY_ONLY:
          if (isWhitespace(c)) break;
          if (c === QUOTE) {
            this.keyBytes = [];
            this.escaped = false;
            this.state = IN_KEY;
          } else if (c === CLOSE_BRACE && this.state === KEY_OR_END) this.state = DONE;
          else this.fail(i, `invalid JSON: expected a key string, found '${describeByte(c)}'`);
          break;
        case IN_KEY:
          if (this.escaped) {
            this.escaped = false;
            this.keyBytes.push(c);
          } else if (c === BACKSLASH) {
            this.escaped = true;
            this.keyBytes.push(c);
          } else if (c === QUOTE) {
            this.currentKey = JSON.parse(`"${Buffer.from(this.keyBytes).toString('utf8')}"`) as string;
            this.state = COLON_NEXT;
          } else {
            this.keyBytes.push(c);
            if (this.keyBytes.length > 4096) this.fail(i, 'invalid JSON: a top-level key longer than 4096 bytes');
          }
          break;
        case COLON_NEXT:
          if (isWhitespace(c)) break;
          if (c !== COLON) this.fail(i, `invalid JSON: expected ':' after key '${this.currentKey}', found '${describeByte(c)}'`);
          this.state = VALUE_NEXT;
          break;
        case VALUE_NEXT:
          if (isWhitespace(c)) break;
          if (this.currentKey === 'traceEvents') {
            if (c !== OPEN_BRACKET) this.fail(i, "field 'traceEvents' is not an array", describeByte(c));
            this.sawTraceEvents = true;
            this.state = ELEMENT_OR_END;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.startCapture(i, CAPTURE_CONTAINER, false, AFTER_VALUE);
            captureStart = i;
          } else if (c === QUOTE) {
            this.startCapture(i, CAPTURE_STRING, false, AFTER_VALUE);
            captureStart = i;
          } else if (startsScalar(c)) {
            this.startCapture(i, CAPTURE_SCALAR, false, AFTER_VALUE);
            captureStart = i;
          } else this.fail(i, `invalid JSON: expected the value of '${this.currentKey}', found '${describeByte(c)}'`);
          break;
        case AFTER_VALUE:
          if (isWhitespace(c)) break;
          if (c === COMMA) this.state = KEY_ONLY;
          else if (c === CLOSE_BRACE) this.state = DONE;
          else this.fail(i, `invalid JSON: expected ',' or '}' after the value of '${this.currentKey}', found '${describeByte(c)}'`);
          break;
        case ELEMENT_OR_END:
        case ELEMENT_ONLY:
          if (isWhitespace(c)) break;
          if (c === CLOSE_BRACKET && this.state === ELEMENT_OR_END) {
            this.state = this.rootIsArray ? DONE : AFTER_VALUE;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.startCapture(i, CAPTURE_CONTAINER, true, AFTER_ELEMENT);
            captureStart = i;
          } else if (c === QUOTE) {
            this.startCapture(i, CAPTURE_STRING, true, AFTER_ELEMENT);
            captureStart = i;
          } else if (startsScalar(c)) {
            this.startCapture(i, CAPTURE_SCALAR, true, AFTER_ELEMENT);
            captureStart = i;
          } else this.fail(i, `invalid JSON: expected traceEvents[${this.eventIndex}], found '${describeByte(c)}'`);
          break;
        case AFTER_ELEMENT:
          if (isWhitespace(c)) break;
          if (c === COMMA) this.state = ELEMENT_ONLY;
          else if (c === CLOSE_BRACKET) this.state = this.rootIsArray ? DONE : AFTER_VALUE;
          else this.fail(i, `invalid JSON: expected ',' or ']' after traceEvents[${this.eventIndex - 1}], found '${describeByte(c)}'`);
          break;
        case DONE:
          if (!isWhitespace(c)) this.fail(i, `invalid JSON: unexpected '${describeByte(c)}' after the end of the document`);
          break;
        default:
          break;
      }
      i++;
    }
    if (this.state === CAPTURING && captureStart >= 0) {
      // The element continues in the next chunk: keep its bytes (copied: the chunk may be reused).
      const piece = Buffer.from(chunk.subarray(captureStart));
      this.pieces.push(piece);
      this.piecesBytes += piece.length;
      if (this.piecesBytes > MAX_ELEMENT_BYTES) {
        throw inputError({
          file: this.file,
          line: this.captureLine,
          column: this.captureColumn,
          message: `a single ${this.captureIsEvent ? `traceEvents[${this.eventIndex}] element` : `value of '${this.currentKey}'`} is larger than ${MAX_ELEMENT_BYTES / 1024 / 1024} MB; this is not a Chrome trace event list`,
        });
      }
    }
    this.offset += n;
  }

  /** Call after the last chunk. Throws if the document ended early. */
  end(): ChromeTraceTopLevel {
    if (this.state !== DONE) {
      const { line, column } = this.where(0);
      const inside =
        this.state === BEFORE_ROOT
          ? 'the file is empty'
          : this.state === CAPTURING && this.captureIsEvent
            ? `it ends inside traceEvents[${this.eventIndex}], which starts at line ${this.captureLine} column ${this.captureColumn}`
            : this.state === ELEMENT_OR_END || this.state === ELEMENT_ONLY || this.state === AFTER_ELEMENT
              ? `it ends inside traceEvents after ${this.eventIndex} events`
              : 'it ends before the closing brace';
      throw inputError({ file: this.file, line, column, message: `truncated or incomplete JSON trace: ${inside}` });
    }
    return { otherKeys: this.otherKeys, sawTraceEvents: this.sawTraceEvents, eventCount: this.eventIndex };
  }
}
