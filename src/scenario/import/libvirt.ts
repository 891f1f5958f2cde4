/**
 * libvirt's debug log of a QEMU monitor (src/qemu/qemu_monitor.c, qemu_monitor_json.c): each
 * line `TIME: THREAD: info : FUNCTION:LINE : PROBE: mon=0x… FIELD=…`, of which these carry QMP:
 *
 * - `QEMU_MONITOR_SEND_MSG: mon=… msg={…}` + CR, then ` fd=-1` on the next line: a command sent;
 * - `QEMU_MONITOR_IO_WRITE: mon=… buf={…}` + CR, then ` len=N ret=N errno=0`: the same, as
 *   written to the socket (used when the log has no SEND_MSG lines; a short write's rest, and a
 *   write that failed and is tried again, are not sent twice);
 * - `QEMU_MONITOR_RECV_REPLY: mon=… reply={…}` and `QEMU_MONITOR_RECV_EVENT: mon=… event={…}`:
 *   what came back, one message a line;
 * - `QEMU_MONITOR_IO_PROCESS: mon=… buf=…` up to ` len=N`: the bytes read and not yet used, a
 *   message a line (older libvirt logs it; used when the log has no RECV_REPLY/RECV_EVENT lines,
 *   and an unfinished last line is left for the next one).
 *
 * Every other line is libvirt's own and is passed over. A log copied from a terminal may show
 * the CR as `^M`. A log with several monitors (several VMs) imports the first that sent commands.
 */
import { LiteralError, parseLiteral } from './literal.js';
import { classify, lineError, type Message, type Transcript } from './transcript.js';

const PROBE = /QEMU_MONITOR_(SEND_MSG|IO_WRITE|RECV_REPLY|RECV_EVENT|IO_PROCESS): mon=(\S+) (?:msg|buf|reply|event)=(.*)$/;
const CR = /(\r|\^M)$/;
const FD_LINE = /^\s*fd=-?\d+\s*$/;
const WRITE_LINE = /(?:^|\s)len=(\d+) ret=(-?\d+) errno=\d+\s*$/;
const PROCESS_END = /(?:^|\s)len=\d+\s*$/;
const MAX_BUFFER_LINES = 100_000;

type Source = 'SEND_MSG' | 'IO_WRITE' | 'RECV_REPLY' | 'RECV_EVENT' | 'IO_PROCESS';

interface Probed {
  readonly mon: string;
  readonly source: Source;
  readonly messages: readonly Message[];
}

interface Scan {
  readonly file: string;
  readonly lines: readonly string[];
  readonly found: Probed[];
  /** Per monitor: a short write was logged, and its rest is still to come. */
  readonly writing: Set<string>;
}

function messagesOf(scan: Scan, text: string, line: number, source: Source): Message[] {
  try {
    return classify(parseLiteral(text.replace(CR, '')), scan.file, line);
  } catch (error) {
    if (!(error instanceof LiteralError)) throw error;
    throw lineError(scan.file, line, `QEMU_MONITOR_${source}: not valid JSON: ${error.message}`);
  }
}

/** A SEND_MSG or IO_WRITE probe at line `at`: what it sent, and the index of its last line. */
function sent(scan: Scan, at: number, mon: string, source: Source, content: string): number {
  const next = scan.lines[at + 1] ?? '';
  const tail = source === 'SEND_MSG' ? FD_LINE : WRITE_LINE;
  const ownLine = tail.test(next) && !/[{}]/.test(next);
  const write = WRITE_LINE.exec(ownLine ? next : content);
  const text = ownLine ? content : content.replace(source === 'SEND_MSG' ? /\s+fd=-?\d+\s*$/ : WRITE_LINE, '');
  const last = ownLine ? at + 1 : at;
  if (source === 'IO_WRITE' && write) {
    const [length, ret] = [Number(write[1]), Number(write[2])];
    const rest = scan.writing.has(mon);
    if (ret < 0 || ret === length) scan.writing.delete(mon);
    else scan.writing.add(mon);
    if (ret < 0 || rest) return last; // nothing written yet, or the rest of a message already counted
  }
  scan.found.push({ mon, source, messages: messagesOf(scan, text, at + 1, source) });
  return last;
}

/** An IO_PROCESS probe at line `at`: its buffer's finished lines, and the index of its last line. */
function processed(scan: Scan, at: number, mon: string, content: string): number {
  const pieces = [content];
  let last = at;
  while (!PROCESS_END.test(pieces[pieces.length - 1]!)) {
    if (++last >= scan.lines.length || last - at > MAX_BUFFER_LINES) {
      throw lineError(scan.file, at + 1, "QEMU_MONITOR_IO_PROCESS: the buffer never ends (no ' len=N' after it)");
    }
    pieces.push(scan.lines[last]!);
  }
  pieces[pieces.length - 1] = pieces[pieces.length - 1]!.replace(PROCESS_END, '');
  const messages: Message[] = [];
  pieces.slice(0, -1).forEach((piece, i) => {
    if (piece.replace(CR, '').trim() !== '') messages.push(...messagesOf(scan, piece, at + 1 + i, 'IO_PROCESS'));
  });
  scan.found.push({ mon, source: 'IO_PROCESS', messages });
  return last;
}

/** The monitor to import, the sources to take its messages from, and notes on what is left out. */
function choose(found: readonly Probed[]): { mon: string | undefined; sources: Set<Source>; notes: string[] } {
  const senders = [...new Set(found.filter((p) => p.source === 'SEND_MSG' || p.source === 'IO_WRITE').map((p) => p.mon))];
  const mon = senders[0];
  const mine = found.filter((p) => p.mon === mon);
  const has = (source: Source): boolean => mine.some((p) => p.source === source);
  const sources = new Set<Source>([
    has('SEND_MSG') ? 'SEND_MSG' : 'IO_WRITE',
    ...(has('RECV_REPLY') || has('RECV_EVENT') ? (['RECV_REPLY', 'RECV_EVENT'] as const) : (['IO_PROCESS'] as const)),
  ]);
  const others = [...new Set(found.map((p) => p.mon))].filter((m) => m !== mon);
  const notes = others.length ? [`the log also holds monitor${others.length > 1 ? 's' : ''} ${others.join(', ')} (other VMs): left out`] : [];
  return { mon, sources, notes };
}

export function readLibvirtLog(text: string, file: string): Transcript {
  const scan: Scan = { file, lines: text.split('\n'), found: [], writing: new Set() };
  for (let i = 0; i < scan.lines.length; i++) {
    const probe = PROBE.exec(scan.lines[i]!.replace(/\r$/, ''));
    if (!probe) continue;
    const [, source, mon, content] = probe as unknown as [string, Source, string, string];
    if (source === 'SEND_MSG' || source === 'IO_WRITE') i = sent(scan, i, mon, source, content);
    else if (source === 'IO_PROCESS') i = processed(scan, i, mon, content);
    else scan.found.push({ mon, source, messages: messagesOf(scan, content, i + 1, source) });
  }
  const { mon, sources, notes } = choose(scan.found);
  const messages = scan.found.filter((p) => p.mon === mon && sources.has(p.source)).flatMap((p) => p.messages);
  const probes = [...sources].map((s) => `QEMU_MONITOR_${s}`).join(', ');
  return {
    kind: 'libvirt',
    how: `a libvirt debug log (${probes} lines${mon ? ` of monitor ${mon}` : ''})`,
    messages,
    notes,
  };
}
