// How the language server's process is started, by the extension and by the benchmark alike.

/**
 * Node options of the language server's process. `--initial-old-space-size=128`: V8 starts with a small old
 * generation and collects it fully each time it grows past its limit; opening a 5,000-resource template builds 80-150
 * MB that all stays, so the server went through several full collections while reading it. Starting at 128 MB (a
 * limit, not memory taken) saves about a tenth of that open (JSON 570 -> 520 ms, YAML 1.88 -> 1.77 s in process); it
 * changes nothing for small documents, and the server's own collections keep it near what it holds afterwards (see
 * MEMORY_BUDGET in server.ts).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--initial-old-space-size=128'];
