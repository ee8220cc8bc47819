/**
 * @module
 * `renderChartSvg`: a Vega-Lite spec → an SVG string, drawn by Vega's SVG renderer in Node
 * (no browser, no canvas). Vega's and Vega-Lite's warnings go to a callback, never to the
 * console.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

function quietLogger(onWarning: (message: string) => void): Logger {
  let current = 2;
  const logger: Logger = {
    level(level?: number) {
      if (level === undefined) return current as never;
      current = level;
      return logger as never;
    },
    error(...args: readonly unknown[]) {
      onWarning(args.map(String).join(' '));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      onWarning(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Renders a Vega-Lite spec to SVG.
 * @example
 * const svg = await renderChartSvg({ mark: 'bar', data: { values: [{ a: 1 }] }, encoding: { y: { field: 'a', type: 'quantitative' } } });
 */
export async function renderChartSvg(
  spec: TopLevelSpec,
  onWarning: (message: string) => void = () => undefined,
): Promise<string> {
  const logger = quietLogger(onWarning);
  const view = new View(parse(compile(spec, { logger }).spec), {
    renderer: 'none',
    logger: logger,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
