/** An S3 client with no credentials anywhere, for tests of what a push or pull then says. */
import os from 'node:os';
import path from 'node:path';

/** Every source of AWS credentials the SDK reads from the environment. */
const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
] as const;

/**
 * Takes every credential source away from this process (the variables, the profile files, which
 * point to none, and instance metadata); returns what puts the environment back as it was.
 */
export function withoutAwsCredentials(): () => void {
  const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of AWS_VARIABLES) delete process.env[name];
  const nowhere = path.join(os.tmpdir(), `custos-no-aws-${process.pid}`);
  process.env.AWS_CONFIG_FILE = path.join(nowhere, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(nowhere, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** The credential variables as they are now, for a child process. */
export function awsEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
}
