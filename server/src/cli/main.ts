// The command-line tool: `eventbridge-patterns <command> [options]` once installed (the package's bin), or
// `npm run --silent cli -- <command> [options]` in a clone.

import { BadOptionInput, UsageError } from './args';
import { runTestEventPattern, TEST_EVENT_PATTERN_USAGE } from './testEventPatternCommand';
import { LOCAL_BUS_USAGE, runLocalBusCommand } from '../localbus/localBusCommand';
import { LINT_USAGE, runLintCommand } from './lintCommand';
import { MATCH_RULES_USAGE, runMatchRulesCommand } from './matchRulesCommand';
import { runTestFilterPolicy, TEST_FILTER_POLICY_USAGE } from './testFilterPolicyCommand';
import { GENERATE_EVENTS_USAGE, runGenerateEvents } from './generateEventsCommand';
import { PATTERN_FROM_EVENT_USAGE, runPatternFromEvent } from './patternFromEventCommand';

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly run: (argv: readonly string[]) => Promise<number>;
}

const commands: Record<string, Command> = {
  'test-event-pattern': {
    summary: 'test an event against a pattern, as aws events test-event-pattern does (or a batch with --jsonl)',
    usage: TEST_EVENT_PATTERN_USAGE,
    run: (argv) => runTestEventPattern(argv, process.stdout, process.stderr),
  },
  'local-bus': {
    summary:
      'run a local EventBridge + CloudWatch Logs + SQS endpoint on 127.0.0.1 (rules, queues, topics from templates)',
    usage: `${LOCAL_BUS_USAGE}\n  listens on 127.0.0.1 only; point the AWS CLI or SDK at the printed URL (endpoint override)`,
    run: (argv) => runLocalBusCommand([...argv]),
  },
  'match-rules': {
    summary: 'which of many rules (from templates or JSON lines) match each event, one answer line per event',
    usage: MATCH_RULES_USAGE,
    run: (argv) => runMatchRulesCommand(argv, process.stdin, process.stdout, process.stderr),
  },
  'test-filter-policy': {
    summary: 'run an SNS message through an SNS subscription filter policy (locally; SNS has no such API)',
    usage: TEST_FILTER_POLICY_USAGE,
    run: (argv) => Promise.resolve(runTestFilterPolicy(argv, process.stdout, process.stderr)),
  },
  'generate-events': {
    summary: 'events that match a pattern and, with --near-misses, events that fail exactly one of its conditions',
    usage: GENERATE_EVENTS_USAGE,
    run: (argv) => Promise.resolve(runGenerateEvents(argv, process.stdout, process.stderr)),
  },
  'pattern-from-event': {
    summary: 'the pattern that catches an event: chosen fields, an operator each (checked to match the event)',
    usage: PATTERN_FROM_EVENT_USAGE,
    run: (argv) => Promise.resolve(runPatternFromEvent(argv, process.stdout)),
  },
  lint: {
    summary: "report the editor's diagnostics for templates, pattern files and CDK code (for CI)",
    usage: LINT_USAGE,
    run: (argv) => runLintCommand(argv, process.stdout, process.stderr),
  },
};

function help(): string {
  const lines = ['usage: eventbridge-patterns <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(20)} ${c.summary}`);
  return lines.join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${name}: ${e.message}\n${e instanceof BadOptionInput ? '' : `${command.usage}\n`}`);
      return 2;
    }
    process.stderr.write(`${name}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  },
);
