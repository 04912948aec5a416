// The deployment descriptors through the platforms' own code (run by DescriptorToolsIT):
//   node check-descriptors.cjs s <s.yaml>         Serverless Devs' parse-spec, then fc3's schema as fc3 validates
//   node check-descriptors.cjs fun <template.yml> Funcraft's `fun validate` (offline)
//   node check-descriptors.cjs sls <serverless.yml> the Serverless Components CLI's own loader and variable
//                                                   resolver, then the scf component's input rules
// Each ${env} case runs in a child process of its own (the tools read process.env). Prints one JSON
// report; exits 1 when a tool refuses the descriptor or a check fails.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const yaml = require('js-yaml');

const TRIGGER_CONFIGS = { http: 'IHttpTriggerConfig', oss: 'IOssTriggerConfig', timer: 'ITimerTriggerConfig' };
const ENV_LIMIT_BYTES = 4096; // FC and SCF: all of a function's environment variables together
const CASES = {
  unset: {},
  empty: 'empty',
  'upstreams only': { JINGNEI_UPSTREAMS: '[{"name":"bailian","base_url":"https://dashscope.aliyuncs.com/compatible-mode/v1","api_key":"sk-0000000000000000000000000000","models":["qwen-plus"]}]' },
  full: 'full',
};

function caseEnv(name) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JINGNEI_') && !k.startsWith('TENCENT_') && k !== 'STAGE'));
  const spec = CASES[name];
  if (spec === 'empty') {
    for (const k of ['JINGNEI_LLM_API_KEY', 'JINGNEI_UPSTREAMS', 'JINGNEI_CLIENT_KEYS', 'JINGNEI_INDEX_URI']) env[k] = '';
  } else if (spec === 'full') {
    // A generous real configuration: the environment limit is about these values.
    Object.assign(env, {
      JINGNEI_LLM_API_KEY: 'sk-' + 'a'.repeat(48), JINGNEI_LLM_BASE_URL: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
      JINGNEI_LLM_MODEL: 'qwen-plus', JINGNEI_UPSTREAMS: CASES['upstreams only'].JINGNEI_UPSTREAMS.repeat(2).replace('}][{', '},{'),
      JINGNEI_INDEX_URI: 'oss://jingnei-kb-1234567890123456/index/faq.jnix', JINGNEI_AUTH: 'auto',
      JINGNEI_CLIENT_KEYS: Array.from({ length: 10 }, (_, i) => `ck-shop-${i}-7f3e91c2a1b2c3d4:shop-${i}`).join(','),
      JINGNEI_ADMIN_KEYS: 'ak-ops-0a1b2c3d4e5f6a7b', JINGNEI_JWT_SECRET: 'x'.repeat(64),
      JINGNEI_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\n' + 'A'.repeat(392) + '\n-----END PUBLIC KEY-----', JINGNEI_JWT_ISSUER: 'https://login.shop.example.cn',
      JINGNEI_JWT_AUDIENCE: 'jingnei', JINGNEI_STORAGE_ALLOW: 'r:oss://jingnei-kb-1234567890123456/', JINGNEI_CORS_ORIGINS: 'https://shop.example.cn,https://m.shop.example.cn',
      JINGNEI_REDIS_URL: 'rediss://default:' + 'p'.repeat(32) + '@r-uf6000000000.redis.rds.aliyuncs.com:6379', JINGNEI_LIMITS: 'user:rpm=20,tpd=200000;global:cny_month=3000',
      JINGNEI_PII: 'mask', JINGNEI_CACHE: 'semantic', TENCENT_FAQ_BUCKET: 'jingnei-faq-1250000000', TENCENT_KB_BUCKET: 'jingnei-kb-1250000000', STAGE: 'prod',
    });
  } else {
    Object.assign(env, spec);
  }
  // No case sets TENCENT_APP_ID: nothing in serverless.yml may need it (only the QR login writes it).
  if (name !== 'unset' && name !== 'empty' && !env.TENCENT_FAQ_BUCKET) env.TENCENT_FAQ_BUCKET = 'jingnei-faq-1250000000';
  if (name !== 'unset' && name !== 'empty' && !env.TENCENT_KB_BUCKET) env.TENCENT_KB_BUCKET = 'jingnei-kb-1250000000';
  return env;
}

/** Bytes of an environment as the platforms count it: names and values. */
function envBytes(vars) {
  return Object.entries(vars || {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v ?? '')), 0);
}

function inChild(mode, file, caseName) {
  const out = execFileSync(process.execPath, [__filename, mode + ':one', file, caseName], { env: caseEnv(caseName), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

async function sOne(file) {
  // Fake credentials in a home of our own: ${config('AccountID')} resolves, nothing real is read.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'jingnei-s-'));
  fs.mkdirSync(path.join(home, '.s'));
  fs.writeFileSync(path.join(home, '.s', 'access.yaml'),
    "default:\n  AccountID: '1234567890123456'\n  AccessKeyID: LTAI0000fake0000\n  AccessKeySecret: fake0000fake0000fake0000\n");
  process.env.HOME = home;
  const ParseSpec = require('@serverless-devs/parse-spec').default;
  const quiet = { warnOnce() {}, warn() {}, debug() {}, info() {}, write() {}, error() {} };
  const result = { functions: {}, errors: [] };
  let spec;
  try {
    spec = await new ParseSpec(path.resolve(file), { argv: ['deploy'], logger: quiet }).start();
  } catch (e) {
    result.errors.push('parse-spec: ' + e.message.split('\n').pop());
    return result;
  }
  const Ajv = require('ajv').default;
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'fc3', 'schema.json'), 'utf8'));
  for (const step of spec.steps) {
    const ajv = new Ajv({ allErrors: true, strictSchema: true, validateSchema: true }); // as fc3's src/utils/verify.ts
    const valid = ajv.validate(schema, step.props);
    const bytes = envBytes(step.props.environmentVariables);
    result.functions[step.projectName] = { env_bytes: bytes, role: step.props.role, layers: step.props.layers,
      faq: (step.props.environmentVariables || {}).JINGNEI_FAQ_BASE_URI };
    if (!valid) for (const e of ajv.errors) result.errors.push(`${step.projectName}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
    // fc3's schema leaves triggerConfig open; its own definitions per trigger type say what FC takes.
    (step.props.triggers || []).forEach((trigger, i) => {
      const definition = TRIGGER_CONFIGS[trigger.triggerType];
      if (!definition) return;
      const check = new Ajv({ allErrors: true, strictSchema: true, validateSchema: true }).addSchema(schema, 'fc3');
      if (!check.validate({ $ref: `fc3#/definitions/${definition}` }, trigger.triggerConfig)) {
        for (const e of check.errors) result.errors.push(`${step.projectName}/triggers/${i}/triggerConfig${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
      }
    });
    if (bytes > ENV_LIMIT_BYTES) result.errors.push(`${step.projectName}: environment is ${bytes} bytes, over ${ENV_LIMIT_BYTES}`);
  }
  return result;
}

function slsOne(file) {
  // What `sls deploy` does before it sends the instance (commands-cn/utils.js, loadTencentInstanceConfig):
  // load the folder's serverless.yml (default stage, app/stage/org from a parent folder's file), then
  // resolve ${env:NAME} with the same resolver.
  const { loadInstanceConfigUncached, resolveVariables } = require('@serverless/components/src/cli/utils');
  const instance = resolveVariables(loadInstanceConfigUncached(path.dirname(path.resolve(file))));
  const inputs = instance.inputs || {};
  const vars = (inputs.environment || {}).variables || {};
  const cos = (inputs.events || []).map(e => e.cos).filter(Boolean)[0];
  const bucket = cos && cos.parameters.bucket;
  const result = { app: instance.app, stage: instance.stage === undefined ? null : instance.stage, component: instance.component,
    type: inputs.type || 'event', runtime: inputs.runtime, layers: inputs.layers || [], env_bytes: envBytes(vars), role: inputs.role,
    bucket, faq: vars.JINGNEI_FAQ_BASE_URI, kb: vars.JINGNEI_KB_URI,
    // COS names every bucket <name>-<APPID>: a name without the APPID suffix is no bucket anyone has.
    bucket_has_appid: bucket === undefined ? null : /^[a-z0-9-]+-[0-9]+\.cos\.[a-z-]+\.myqcloud\.com$/.test(bucket),
    undefined_values: Object.entries(vars).filter(([, v]) => typeof v === 'string' && v.includes('undefined')).map(([k]) => k), errors: [] };
  if (result.env_bytes > ENV_LIMIT_BYTES) result.errors.push(`environment is ${result.env_bytes} bytes, over ${ENV_LIMIT_BYTES}`);
  // The platform resolves ${stage}, ${app}, ${name} and ${org} before it applies the component's rules.
  const engine = { stage: instance.stage || 'dev', app: instance.app, name: instance.name, org: instance.org || 'org' };
  const engineResolved = JSON.parse(JSON.stringify(inputs), (k, v) =>
    typeof v === 'string' ? v.replace(/\$\{(stage|app|name|org)\}/g, (m, key) => engine[key]) : v);
  const component = yaml.load(fs.readFileSync(path.join(__dirname, 'tencent-scf', 'serverless.component.yml'), 'utf8'));
  if (instance.component !== component.name) result.errors.push(`component is ${instance.component}, the rules are for ${component.name}`);
  checkInputs({ type: 'object', keys: component.actions.deploy.inputs }, engineResolved, 'inputs', result.errors);
  return result;
}

/**
 * The scf component's declared input rules (serverless.component.yml, actions.deploy.inputs), as
 * the platform applies them: type, allow, regex, min, max, required; keys of an object; items of an
 * array, each item matching one of the listed forms. Keys the rules do not name are not checked.
 */
function checkInputs(rules, value, at, errors) {
  if (value === undefined || value === null) {
    if (rules.required) errors.push(`${at}: required`);
    return;
  }
  const actual = Array.isArray(value) ? 'array' : typeof value;
  const expected = rules.type === 'src' ? ['string', 'object'] : rules.type ? [rules.type] : [actual];
  if (!expected.includes(actual)) {
    errors.push(`${at}: expected ${rules.type}, found ${actual} ${JSON.stringify(value)}`);
    return;
  }
  if (rules.allow && !rules.allow.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${rules.allow.join(', ')}`);
  if (rules.regex && !new RegExp(rules.regex).test(value)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${rules.regex}`);
  if (rules.min !== undefined && value < rules.min) errors.push(`${at}: ${value} is below ${rules.min}`);
  if (rules.max !== undefined && value > rules.max) errors.push(`${at}: ${value} is above ${rules.max}`);
  if (rules.keys && actual === 'object') {
    for (const [key, keyRules] of Object.entries(rules.keys)) checkInputs(keyRules, value[key], `${at}/${key}`, errors);
  }
  if (rules.items && actual === 'array') {
    value.forEach((item, i) => {
      const tries = rules.items.map(form => { const found = []; checkInputs(form, item, `${at}/${i}`, found); return found; });
      if (!tries.some(found => found.length === 0)) errors.push(...tries[0]);
    });
  }
}

function funValidate(file) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'jingnei-fun-'));
  const fun = path.join(__dirname, 'node_modules', '.bin', 'fun');
  try {
    execFileSync(fun, ['validate', '-t', path.resolve(file)], { env: { ...process.env, HOME: home, FORCE_COLOR: '0', NO_COLOR: '1' },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { errors: [] };
  } catch (e) {
    return { errors: [(String(e.stdout) + String(e.stderr)).replace(/\x1b\[[0-9;]*m/g, '').trim()] };
  }
}

(async () => {
  const [mode, file, caseName] = process.argv.slice(2);
  let report;
  if (mode === 's:one') report = await sOne(file);
  else if (mode === 'sls:one') report = slsOne(file);
  else if (mode === 'fun') report = { fun: funValidate(file) };
  else if (mode === 's' || mode === 'sls') report = Object.fromEntries(Object.keys(CASES).map(c => [c, inChild(mode, file, c)]));
  else throw new Error('usage: check-descriptors.cjs s|fun|sls <file>');
  process.stdout.write(JSON.stringify(report));
  const failed = mode.endsWith(':one') ? false : JSON.stringify(report).match(/"errors":\["/);
  process.exit(failed ? 1 : 0);
})().catch(e => { process.stderr.write(String(e.stack || e)); process.exit(2); });
