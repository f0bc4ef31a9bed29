// `--parameter Key=Value` and `--parameters <file>`, shared by the commands that read templates.

import { BadOptionInput, type ParsedArgs } from './args';
import { ParameterValuesError, readParameterValues } from '../cfn/parameterValues';

export const PARAMETER_OPTIONS: readonly string[] = ['parameter', 'parameters'];

/** `--parameters` files then `--parameter` values (a later value wins); a bad file is a usage error (exit 2). */
export function parameterOptions(args: ParsedArgs, cwd: string): Map<string, string> {
  try {
    return readParameterValues(args.values.get('parameters') ?? [], args.values.get('parameter') ?? [], cwd);
  } catch (e) {
    if (e instanceof ParameterValuesError) throw new BadOptionInput(e.message);
    throw e;
  }
}
