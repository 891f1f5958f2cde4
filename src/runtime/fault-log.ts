/**
 * Where the runtime reports a fault of the simulator's own: one line each on a logger
 * (process.stderr by default), never a throw; a fault that repeats on every clock tick is
 * reported once until the clock moves again.
 */
import { faultMessage } from '../commands/dispatch.js';

/** A sink for lines of text, as process.stderr is. */
export interface PermgraphLogger {
  write(text: string): unknown;
}

/** process.stderr where there is one (Node), else the console. */
const defaultLogger = (): PermgraphLogger =>
  globalThis.process?.stderr ?? { write: (text: string) => console.error(text.replace(/\n$/, '')) };

export interface FaultLog {
  report(what: string, fault: unknown): void;
  /** A failed clock advance: reported unless it is the same fault as the last one. */
  reportAdvance(what: string, fault: unknown): void;
  /** The clock moved: the next failed advance is reported again. */
  advanced(): void;
}

export function createFaultLog(logger: PermgraphLogger = defaultLogger()): FaultLog {
  /** The fault the last clock advance failed with. */
  let advanceFault: string | undefined;
  const report = (what: string, fault: unknown): void => {
    try {
      logger.write(`permgraph: internal error in ${what}: ${faultMessage(fault)}\n`);
    } catch {
      // a logger that fails loses the line, never the runtime
    }
  };
  return {
    report,
    reportAdvance(what, fault) {
      if (faultMessage(fault) !== advanceFault) report(what, fault);
      advanceFault = faultMessage(fault);
    },
    advanced() {
      advanceFault = undefined;
    },
  };
}
