// The embedded local bus as the extension runs it: in this process, on 127.0.0.1, with the workspace's templates
// loaded into the region in use (their buses, rules with log-group targets, and log groups).
import { DEFAULT_ACCOUNT_ID } from '../../../server/src/localbus/awsJsonProtocol';
import { startLocalBus, type LocalBus } from '../../../server/src/localbus/localBusServer';
import { TemplateParseError, loadTemplate } from '../../../server/src/localbus/templateLoader';

export interface TemplateFile {
  readonly path: string;
  readonly text: string;
}

export interface EmbeddedLocalBusOptions {
  readonly port?: number;
  readonly region: string;
  readonly accountId?: string;
  readonly templates: readonly TemplateFile[];
  readonly onWarning?: (message: string) => void;
}

export interface EmbeddedLocalBus {
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Templates that were loaded. */
  readonly loaded: readonly string[];
  readonly bus: LocalBus;
  /** Loads the templates into another region too (once), so switching regions keeps the application's wiring. */
  ensureRegion(region: string): string[];
  close(): Promise<void>;
}

/** A cheap test before parsing: CloudFormation / SAM templates have `Resources` with `AWS::` types. */
export function looksLikeTemplate(text: string): boolean {
  return /\bResources\b/.test(text) && /AWS::(Events|Serverless|Logs)::/.test(text);
}

export async function startEmbeddedLocalBus(options: EmbeddedLocalBusOptions): Promise<EmbeddedLocalBus> {
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const bus = await startLocalBus({
    port: options.port ?? 0,
    accountId,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const loaded: string[] = [];
  const templates = options.templates.filter((f) => looksLikeTemplate(f.text));
  const loadedRegions = new Set<string>();
  /** Loads every template into `region`; returns the warnings. */
  const loadInto = (region: string, record: boolean): string[] => {
    const warnings: string[] = [];
    if (loadedRegions.has(region)) return warnings;
    loadedRegions.add(region);
    const state = bus.region(region);
    for (const file of templates) {
      try {
        warnings.push(...loadTemplate(state, file.text, file.path, { region, accountId }));
        if (record) loaded.push(file.path);
      } catch (e) {
        if (!(e instanceof TemplateParseError)) throw e;
        warnings.push(e.message);
      }
    }
    return warnings;
  };
  try {
    for (const w of loadInto(options.region, true)) options.onWarning?.(w);
  } catch (e) {
    await bus.close();
    throw e;
  }
  return {
    url: bus.url,
    port: bus.port,
    region: options.region,
    accountId,
    loaded,
    bus,
    ensureRegion: (region) => loadInto(region, false),
    close: () => bus.close(),
  };
}
