#!/usr/bin/env node
// Wider random generator of policy-evaluation cases for differential runs of seclab against the shared
// policy-oracle tool (../shared/tools/policy-oracle). Same JSON-lines case format as its gen.mjs; it adds
// NotAction/NotResource, every condition-operator family, set operators, Null, session policies, two SCP levels,
// RCPs, several identity policies, star and service principals. RCP resources are kept to full six-segment ARNs
// or "*" (the oracle does not match shorter ARN patterns in RCPs; see docs/policy-engine.md).
//
//   node gen-wide.mjs --seed 4 --n 5000 > cases.jsonl
//   node <oracle>/oracle.mjs < cases.jsonl > oracle.jsonl
//   seclab policy eval --cases - < cases.jsonl > ours.jsonl
//   node <oracle>/compare.mjs oracle.jsonl ours.jsonl cases.jsonl
const args = process.argv.slice(2)
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d }
let state = (Number(opt('--seed', 1)) ^ 0x1234567) >>> 0
const count = Number(opt('--n', 100))
const rand = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
const oneOf = a => a[Math.floor(rand() * a.length)]
const coin = p => rand() < p
const HOME = '123456789012', AWAY = '210987654321', R = 'us-east-1'
const acts = { secret: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecrets'], key: ['kms:Decrypt', 'kms:Encrypt', 'kms:ListKeys'], role: ['sts:AssumeRole'] }
function caller() {
  const a = coin(0.8) ? HOME : AWAY
  if (coin(0.5)) { const n = oneOf(['ana', 'ben']); return { arn: `arn:aws:iam::${a}:user/${n}`, pa: `arn:aws:iam::${a}:user/${n}`, a, u: n } }
  const r = oneOf(['app', 'ops']); return { arn: `arn:aws:sts::${a}:assumed-role/${r}/s1`, pa: `arn:aws:iam::${a}:role/${r}`, a, session: true }
}
function cond(ctx) {
  const c = {}
  const n = 1 + Math.floor(rand() * 2)
  for (let i = 0; i < n; i++) {
    const f = oneOf([
      () => [oneOf(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']), 'aws:PrincipalTag/team', oneOf(['red', 'Red', 'blue', ['red', 'blue']])],
      () => [oneOf(['StringLike', 'StringNotLike']), 'aws:PrincipalArn', oneOf([`arn:aws:iam::${HOME}:*`, `arn:aws:iam::*:role/a*`, `*:user/?en`])],
      () => [oneOf(['ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals']), 'aws:PrincipalArn', oneOf([`arn:aws:iam::${HOME}:user/*`, `arn:aws:iam::*:role/app`, `arn:aws:iam::${HOME}:user/ana`])],
      () => ['Null', oneOf(['aws:PrincipalTag/team', 'aws:SourceIp', 'kms:ViaService']), oneOf(['true', 'false'])],
      () => [oneOf(['ForAllValues:StringEquals', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:StringNotEquals']), 'aws:TagKeys', oneOf([['env'], ['env', 'team'], ['t*']])],
      () => [oneOf(['NumericLessThan', 'NumericGreaterThanEquals', 'NumericLessThanIfExists']), 'aws:MultiFactorAuthAge', oneOf(['300', '3600'])],
      () => [oneOf(['DateLessThan', 'DateGreaterThan', 'DateLessThanEquals']), 'aws:CurrentTime', oneOf(['2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'])],
      () => [oneOf(['IpAddress', 'NotIpAddress', 'IpAddressIfExists']), 'aws:SourceIp', oneOf(['192.0.2.0/24', '10.0.0.0/8', ['192.0.2.0/24', '203.0.113.0/24']])],
      () => [oneOf(['Bool', 'BoolIfExists']), oneOf(['aws:SecureTransport', 'aws:MultiFactorAuthPresent']), oneOf(['true', 'false'])],
      () => [oneOf(['StringEquals', 'StringEqualsIfExists', 'StringNotEqualsIfExists']), 'kms:ViaService', `secretsmanager.${R}.amazonaws.com`],
    ])()
    c[f[0]] = { ...(c[f[0]] || {}), [f[1]]: f[2] }
  }
  return c
}
function stmt(kind, req, eff, principal) {
  const s = { Effect: eff }
  if (coin(0.3)) s.Sid = 'S' + Math.floor(rand() * 1000)
  if (principal) s.Principal = oneOf([{ AWS: req.principal }, { AWS: req.context['aws:PrincipalArn'] }, { AWS: `arn:aws:iam::${req.context['aws:PrincipalAccount']}:root` }, { AWS: req.context['aws:PrincipalAccount'] }, { AWS: `arn:aws:iam::${AWAY}:root` }, '*', { AWS: '*' }, { Service: 'secretsmanager.amazonaws.com' }, { AWS: [`arn:aws:iam::${HOME}:user/ana`, `arn:aws:iam::${HOME}:role/ops`] }])
  const a = req.action, [svc] = a.split(':')
  const apat = oneOf([a, `${svc}:*`, '*', oneOf(acts[kind]), `${svc}:${a.split(':')[1].slice(0, 4)}*`, `${svc.toUpperCase()}:${a.split(':')[1].toLowerCase()}`])
  if (coin(0.2)) s.NotAction = oneOf([a, `${svc}:List*`, 'iam:*']); else s.Action = apat
  const res = req.resource.resource
  if (!(principal && kind === 'role')) {
    const rp = principal && kind === 'key' ? '*' : oneOf([res, '*', res === '*' ? '*' : res.slice(0, res.length - 3) + '*', `arn:aws:${svc === 'sts' ? 'iam' : svc}:*`, res.replace(/\?/g, '')])
    if (coin(0.15) && !(principal && kind === 'key')) s.NotResource = oneOf([res, 'arn:aws:kms:*:*:key/nope']); else s.Resource = rp
  }
  if (coin(0.45)) s.Condition = cond(req.context)
  return s
}
const P = st => ({ Version: '2012-10-17', Statement: st })
const out = []
for (let i = 1; i <= count; i++) {
  const kind = oneOf(['secret', 'secret', 'key', 'key', 'role'])
  const who = caller()
  const owner = coin(0.85) ? HOME : AWAY
  const action = oneOf(acts[kind])
  let resource
  if (action.endsWith('List') || action.includes(':List')) resource = '*'
  else if (kind === 'secret') resource = `arn:aws:secretsmanager:${R}:${owner}:secret:db-AbC123`
  else if (kind === 'key') resource = `arn:aws:kms:${R}:${owner}:key/5f0c3b7e-1a2b-4c3d-9e8f-0a1b2c3d4e5f`
  else resource = `arn:aws:iam::${owner}:role/${oneOf(['app', 'ops'])}`
  const ctx = { 'aws:PrincipalArn': who.pa, 'aws:PrincipalAccount': who.a, 'aws:SecureTransport': coin(0.8) ? 'true' : 'false', 'aws:CurrentTime': oneOf(['2026-03-01T10:00:00Z', '2026-09-01T10:00:00Z']) }
  if (who.u) ctx['aws:username'] = who.u
  if (coin(0.6)) ctx['aws:SourceIp'] = oneOf(['192.0.2.10', '10.1.1.1', '203.0.113.5'])
  if (coin(0.5)) ctx['aws:PrincipalTag/team'] = oneOf(['red', 'blue', 'RED'])
  if (coin(0.4)) ctx['aws:MultiFactorAuthAge'] = oneOf(['100', '5000'])
  if (who.session && coin(0.5)) ctx['aws:MultiFactorAuthPresent'] = oneOf(['true', 'false'])
  if (kind === 'key') { ctx['kms:CallerAccount'] = who.a; if (coin(0.4)) ctx['kms:ViaService'] = `secretsmanager.${R}.amazonaws.com` }
  if (coin(0.3)) ctx['aws:TagKeys'] = oneOf([['env'], ['env', 'team'], ['team', 'owner']])
  const req = { principal: who.arn, action, resource: { resource, accountId: resource === '*' ? who.a : owner }, context: ctx }
  const tc = { id: `g2-${i}`, request: req, identityPolicies: [] }
  const nPol = Math.floor(rand() * 3)
  for (let p = 0; p < nPol; p++) tc.identityPolicies.push(P(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => stmt(kind, req, coin(0.75) ? 'Allow' : 'Deny', false))))
  if (resource !== '*' && (kind !== 'secret' || coin(0.6))) {
    const st = kind === 'key' && coin(0.5) ? [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' }] : []
    for (let k = 0; k < 1 + Math.floor(rand() * 2); k++) st.push(stmt(kind, req, coin(0.8) ? 'Allow' : 'Deny', true))
    tc.resourcePolicy = P(st)
  }
  if (coin(0.15)) tc.permissionBoundaries = [P([stmt(kind, req, 'Allow', false), ...(coin(0.3) ? [stmt(kind, req, 'Deny', false)] : [])])]
  if (who.session && coin(0.25)) tc.sessionPolicy = P([stmt(kind, req, 'Allow', false)])
  if (coin(0.2)) {
    tc.serviceControlPolicies = [{ orgIdentifier: 'r-root', policies: [P([{ Effect: 'Allow', Action: '*', Resource: '*' }])] }]
    if (coin(0.5)) tc.serviceControlPolicies.push({ orgIdentifier: 'ou-1', policies: [P([stmt(kind, req, 'Allow', false)])] })
    if (coin(0.5)) tc.serviceControlPolicies[0].policies.push(P([stmt(kind, req, 'Deny', false)]))
  }
  if (coin(0.15)) { const d = { ...stmt(kind, req, 'Deny', false), Principal: '*' }; if (typeof d.Resource === 'string' && d.Resource.split(':').length < 6) d.Resource = '*'; tc.resourceControlPolicies = [{ orgIdentifier: 'r-root', policies: [P([d])] }] }
  out.push(JSON.stringify(tc))
}
process.stdout.write(out.join('\n') + '\n')
