'use strict';
// Where the CLI's key and connection come from (one job: flags and environment → CvmClient
// options): a key from the environment or ~/.tencentcloud/credentials (src/credentials.cjs), or
// --use-cvm-role's provider; the connection flags; the client; --print-request's key at hand.

const { pkg } = require('./core.cjs');

const { loadCredentials, CredentialsError } = pkg;
const { EXIT, UsageError } = require('./args.cjs');

// --use-cvm-role: the region from --region or TENCENTCLOUD_REGION, the key from the metadata service.
function cvmRoleOptions(args, env) {
  if (args.profile !== undefined) throw new UsageError('--use-cvm-role and --profile exclude each other: pick one source of credentials');
  const keyVariables = ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'].filter((name) => env[name]);
  if (keyVariables.length > 0) {
    throw new UsageError(`--use-cvm-role and ${keyVariables.join(' / ')} in the environment exclude each other: unset them or drop --use-cvm-role`);
  }
  const region = args.region || env.TENCENTCLOUD_REGION;
  if (!region) throw new UsageError('no region: pass --region or set TENCENTCLOUD_REGION');
  const roleOptions = {};
  const metadataUrl = args.metadataUrl || env.TCCVM_METADATA_URL;
  if (metadataUrl) roleOptions.metadataUrl = metadataUrl;
  if (args.roleName !== undefined) roleOptions.roleName = args.roleName;
  try {
    return { credentials: pkg.cvmRoleCredentials(roleOptions), region };
  } catch (error) {
    if (error instanceof pkg.ValidationError) throw new UsageError(`--${error.field === 'roleName' ? 'role-name' : 'metadata-url'}: ${error.message}`);
    throw error;
  }
}

function clientOptions(args, env) {
  if (!args.useCvmRole && (args.roleName !== undefined || args.metadataUrl !== undefined)) {
    throw new UsageError(`${args.roleName !== undefined ? '--role-name' : '--metadata-url'} needs --use-cvm-role`);
  }
  const options = args.useCvmRole ? cvmRoleOptions(args, env) : keyOptions(args, env);
  const endpoint = args.endpoint || env.TCCVM_ENDPOINT;
  if (endpoint) options.endpoint = endpoint;
  if (args.host) options.host = args.host;
  if (args.method) options.method = args.method.toUpperCase();
  if (args.language) options.language = args.language;
  if (args.signMethod) options.signMethod = args.signMethod;
  if (args.timeout !== undefined) options.timeoutMs = args.timeout;
  if (args.retries !== undefined) options.retries = args.retries;
  return options;
}

// --print-request signs with a key at hand: a CVM role's is fetched once for it.
async function signingOptions(options) {
  if (!options.credentials) return options;
  const { credentials, ...rest } = options;
  const { secretId, secretKey, token } = await credentials.getCredential();
  return { ...rest, secretId, secretKey, token };
}

function keyOptions(args, env) {
  let credentials;
  try {
    credentials = loadCredentials({ profile: args.profile, env });
  } catch (error) {
    if (error instanceof CredentialsError) throw Object.assign(error, { exitCode: EXIT.config });
    throw error;
  }
  const region = args.region || credentials.region;
  if (!region) {
    throw new UsageError('no region: pass --region, set TENCENTCLOUD_REGION, or add region to the profile');
  }
  const options = { secretId: credentials.secretId, secretKey: credentials.secretKey, region };
  if (credentials.token) options.token = credentials.token;
  return options;
}

function makeClient(options) {
  try {
    return new pkg.CvmClient(options);
  } catch (error) {
    if (error instanceof TypeError || error instanceof pkg.ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

module.exports = { clientOptions, makeClient, signingOptions };
