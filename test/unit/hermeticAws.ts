// Import first in every test file that touches AWS configuration: it clears every AWS_* variable the developer's or
// CI's shell may carry (AWS_REGION, AWS_PROFILE, AWS_CONFIG_FILE, AWS_ENDPOINT_URL, keys, ...), so the SDK and our
// profile logic see only what each test sets, and never reach for instance metadata. node --test runs each file in
// its own process, so this changes nothing outside the file.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('AWS_')) delete process.env[name];
}
process.env.AWS_EC2_METADATA_DISABLED = 'true';

/** The AWS_* variables set now (for tests asserting that nothing leaked in). */
export function awsVariablesSet(): string[] {
  return Object.keys(process.env).filter((n) => n.startsWith('AWS_') && n !== 'AWS_EC2_METADATA_DISABLED');
}
