'use strict';
// The npm client hero-sms (pinned in package.json), unchanged, against Verigate's sms-activate dialect in
// the sandbox. HeroSmsClientTest starts the nodes and runs this file:
//
//   node --test-reporter=tap hero-sms-flow.test.cjs <baseUrl> <sandboxKey> <guardedBaseUrl> <guardedSandboxKey>
//
// The first node lets a number be cancelled at once (early-cancel-guard 0s); the second keeps the default guard.
const test = require('node:test');
const assert = require('node:assert/strict');
const {
  HeroSMSClient,
  HeroSMSError,
  AuthenticationError,
  NoNumbersError,
  EarlyCancelError,
  WrongMaxPriceError,
  ActivationNotFoundError,
} = require('hero-sms');

const [baseUrl, sandboxKey, guardedBaseUrl, guardedSandboxKey] = process.argv.slice(2);
if (!guardedSandboxKey) {
  throw new Error('usage: node hero-sms-flow.test.cjs <baseUrl> <sandboxKey> <guardedBaseUrl> <guardedSandboxKey>');
}
const USA = 187;

function clientFor(base, apiKey) {
  return new HeroSMSClient({ apiKey, baseUrl: `${base}/stubs/handler_api.php`, timeout: 10000 });
}

const client = clientFor(baseUrl, sandboxKey);

/** Polls getStatus until a code is there; the sandbox sends one within a second. */
async function awaitCode(id) {
  for (let poll = 0; poll < 200; poll++) {
    const status = await client.getStatus(id);
    if (status.status === 'STATUS_OK') {
      return status.code;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`activation ${id} never received a code`);
}

/** Amounts as the server wrote them, without binary float noise. */
const cents = (amount) => Math.round(amount * 100);

test('buys a number, waits for the code, asks for another and finishes', async () => {
  const { activationId, phoneNumber } = await client.getNumber({ service: 'wa', country: USA });
  assert.match(phoneNumber, /^1\d{10}$/);
  const afterPurchase = await client.getBalance();

  assert.match(await awaitCode(activationId), /^\d{6}$/);
  assert.equal(await client.markReady(activationId), 'ACCESS_READY');
  assert.equal(await client.requestResend(activationId), 'ACCESS_RETRY_GET');
  assert.match(await awaitCode(activationId), /^\d{6}$/);
  assert.equal(await client.complete(activationId), 'ACCESS_ACTIVATION');

  const finished = await client.getStatusV2(activationId);
  assert.equal(finished.verificationType, 0);
  assert.match(finished.sms.code, /^\d{6}$/);
  assert.match(finished.sms.text, /WhatsApp code/);
  assert.equal(cents(await client.getBalance()), cents(afterPurchase), 'the price held at purchase is what is charged');
});

test('buys with getNumberV2 and cancels for a full refund', async () => {
  const before = await client.getBalance();
  const bought = await client.getNumberV2({ service: 'tg', country: USA, operator: 'nocode' });
  assert.equal(typeof bought.activationId, 'number');
  assert.match(bought.phoneNumber, /^1\d{10}$/);
  assert.equal(bought.activationCost, 0.5);
  assert.equal(cents(await client.getBalance()), cents(before) - 50);

  assert.equal(await client.cancel(bought.activationId), 'ACCESS_CANCEL');
  assert.deepEqual(await client.getStatus(bought.activationId), { status: 'STATUS_CANCEL' });
  assert.equal(cents(await client.getBalance()), cents(before));
});

test('reads prices, countries, services, operators, stock, live activations and history', async () => {
  const prices = await client.getPrices({ service: 'wa', country: USA });
  assert.equal(prices[USA].wa.cost, 0.5);
  assert.ok(prices[USA].wa.count > 0);
  assert.equal((await client.getCountries())[USA].eng, 'United States');
  assert.ok((await client.getServicesList()).services.some((s) => s.code === 'wa' && s.name === 'WhatsApp'));
  assert.deepEqual((await client.getOperators(USA)).countryOperators[USA], ['any', 'nocode', 'nonumbers', 'slow']);
  assert.ok(Object.values(await client.getTopCountriesByService({ service: 'wa' })).some((row) => row.country === USA));

  const { activationId } = await client.getNumber({ service: 'vk', country: USA, operator: 'nocode' });
  const active = await client.getActiveActivations();
  assert.equal(active.status, 'success');
  assert.ok(active.data.some((a) => a.activationId === String(activationId) && a.serviceCode === 'vk'));
  const history = await client.getHistory({ size: 5 });
  assert.equal(history[0].id, activationId);
});

test('refuses a bad key', async () => {
  await assert.rejects(clientFor(baseUrl, 'not-a-key').getBalance(), AuthenticationError);
});

test('refuses an unknown service', async () => {
  await assert.rejects(client.getNumber({ service: 'zz', country: USA }),
    (error) => error instanceof HeroSMSError && error.code === 'BAD_SERVICE');
});

test('reports that no numbers are left', async () => {
  await assert.rejects(client.getNumber({ service: 'wa', country: USA, operator: 'nonumbers' }), NoNumbersError);
});

test('reports a maximum price below the cheapest number', async () => {
  await assert.rejects(client.getNumber({ service: 'wa', country: USA, maxPrice: 0.1 }),
    (error) => error instanceof WrongMaxPriceError && error.minimumPrice === 0.5);
});

test('reports an activation that does not exist', async () => {
  await assert.rejects(client.getStatus(2147483647), ActivationNotFoundError);
});

test('refuses to cancel during the early-cancel guard', async () => {
  const guarded = clientFor(guardedBaseUrl, guardedSandboxKey);
  const { activationId } = await guarded.getNumber({ service: 'wa', country: USA, operator: 'nocode' });

  await assert.rejects(guarded.cancel(activationId), EarlyCancelError);
  assert.deepEqual(await guarded.getStatus(activationId), { status: 'STATUS_WAIT_CODE' });
});
