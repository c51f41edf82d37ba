'use strict';
// Drives a running Verigate through its 5sim dialect with the npm client fivesim-api, exactly as a 5sim
// customer's script would after changing only the base URL and the key.
//
//   node fivesim-api-flow.js <baseUrl> <sandboxKey> <flow|cancel|errors>
//
// Prints one "ok - ..." line per check and "order <id> <STATUS>" for orders the Java test verifies on the
// server; exits 1 at the first failed check.
const assert = require('node:assert/strict');
const {
  FiveSimAPI, GuestService, UserService, AuthenticationError, NoPhoneNumbersError, NotFoundError, ValidationError,
} = require('fivesim-api');

const [baseUrl, sandboxKey, scenario] = process.argv.slice(2);
if (!baseUrl || !sandboxKey || !scenario) {
  console.error('usage: node fivesim-api-flow.js <baseUrl> <sandboxKey> <flow|cancel|errors>');
  process.exit(2);
}

// fivesim-api has https://5sim.net/v1 as a static of both services and no option for it: overwrite the statics,
// which the guest calls read on every call and the user service's axios instance reads when it is created.
GuestService.baseURL = `${baseUrl}/v1`;
UserService.baseURL = `${baseUrl}/v1`;

const POLL_INTERVAL_MS = 100;
const POLL_ATTEMPTS = 150;

function ok(description) {
  console.log(`ok - ${description}`);
}

async function refusedWith(errorType, text, call) {
  await assert.rejects(call, (error) => {
    assert.ok(error instanceof errorType, `expected ${errorType.name}, got ${error.name}: ${error.message}`);
    if (text) {
      assert.ok(error.message.includes(text), `expected "${text}" in "${error.message}"`);
    }
    return true;
  });
}

async function awaitSms(api, id) {
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const order = await api.checkOrder(id);
    if (order.status === 'RECEIVED' && order.sms && order.sms.length > 0 && order.sms[0].code) {
      return order;
    }
    assert.equal(order.status, 'PENDING', `order ${id} left PENDING as ${order.status} without a code`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`no SMS with a code for order ${id} after ${POLL_ATTEMPTS} polls`);
}

async function flow() {
  const api = new FiveSimAPI(sandboxKey);
  const profile = await api.getProfile();
  assert.equal(typeof profile.balance, 'number');
  assert.equal(typeof profile.frozen_balance, 'number');
  ok(`profile shows balance ${profile.balance}`);

  const countries = await FiveSimAPI.getCountries();
  assert.equal(countries.usa.iso.us, 1);
  const products = await FiveSimAPI.getProducts('usa', 'any');
  assert.equal(products.whatsapp.Category, 'activation');
  const prices = await FiveSimAPI.getPricesByCountryAndProduct('usa', 'whatsapp');
  assert.equal(typeof prices.usa.whatsapp.any.cost, 'number');
  ok('guest countries, products and prices list usa and whatsapp');

  // "best" makes the client pick the cheapest operator from the guest price list before buying.
  const bought = await api.buyActivationNumber('usa', 'best', 'whatsapp');
  assert.equal(bought.status, 'PENDING');
  assert.match(bought.phone, /^\+1\d{10}$/);
  assert.equal(bought.product, 'whatsapp');
  assert.equal(bought.country, 'usa');
  assert.equal(typeof bought.price, 'number');
  ok(`bought order ${bought.id} for ${bought.phone} at ${bought.price}`);

  const received = await awaitSms(api, bought.id);
  assert.match(received.sms[0].code, /^\d{6}$/);
  // WhatsApp writes its code as 123-456; the code field carries the digits.
  assert.ok(received.sms[0].text.replace(/-/g, '').includes(received.sms[0].code));
  ok(`check shows RECEIVED with code ${received.sms[0].code} from ${received.sms[0].sender}`);

  const inbox = await api.getSMSInbox(bought.id);
  assert.equal(inbox.Total, 1);
  assert.equal(inbox.Data[0].code, received.sms[0].code);
  ok('inbox holds the SMS');

  const finished = await api.finishOrder(bought.id);
  assert.equal(finished.status, 'FINISHED');
  ok('finished the order');

  const history = await api.getOrderHistory({ category: 'activation', limit: 10, order: 'id', reverse: true });
  assert.ok(history.Total >= 1);
  assert.ok(history.Data.some((order) => order.id === bought.id && order.status === 'FINISHED'));
  ok('order history lists the finished order');
  console.log(`order ${bought.id} FINISHED`);
}

async function cancel() {
  const api = new FiveSimAPI(sandboxKey);
  // The sandbox operator "nocode" sells a number that never gets an SMS, so the order can be cancelled.
  const bought = await api.buyActivationNumber('usa', 'nocode', 'whatsapp');
  assert.equal(bought.status, 'PENDING');
  const whileHeld = await api.getProfile();
  assert.equal(whileHeld.frozen_balance, bought.price);
  ok(`bought order ${bought.id}; ${bought.price} is held`);

  const canceled = await api.cancelOrder(bought.id);
  assert.equal(canceled.status, 'CANCELED');
  const refunded = await api.getProfile();
  assert.equal(refunded.frozen_balance, 0);
  assert.equal(Math.round((refunded.balance - whileHeld.balance) * 10000), Math.round(bought.price * 10000));
  ok(`cancelled order ${bought.id}; ${bought.price} is back in the balance`);
  console.log(`order ${bought.id} CANCELED`);
}

async function errors() {
  await refusedWith(AuthenticationError, null, () => new FiveSimAPI('vg_test_not-a-key').getProfile());
  ok('a bad key is an AuthenticationError');

  const api = new FiveSimAPI(sandboxKey);
  await refusedWith(ValidationError, 'no product', () => api.buyActivationNumber('usa', 'any', 'nosuchproduct'));
  ok('an unknown product is a ValidationError "no product"');

  await refusedWith(NoPhoneNumbersError, null, () => api.buyActivationNumber('usa', 'nonumbers', 'whatsapp'));
  ok('no numbers is a NoPhoneNumbersError');

  await refusedWith(NotFoundError, null, () => api.checkOrder(999999));
  ok('an unknown order is a NotFoundError');

  const bought = await api.buyActivationNumber('usa', 'nocode', 'whatsapp');
  await refusedWith(ValidationError, 'you need to wait time', () => api.cancelOrder(bought.id));
  ok('cancelling at once is refused with "you need to wait time"');
  await refusedWith(ValidationError, 'order no sms', () => api.finishOrder(bought.id));
  ok('finishing without an SMS is refused with "order no sms"');

  const banned = await api.banOrder(bought.id);
  assert.equal(banned.status, 'BANNED');
  ok('the order can still be reported as banned');
  console.log(`order ${bought.id} BANNED`);
}

const scenarios = { flow, cancel, errors };
if (!scenarios[scenario]) {
  console.error(`unknown scenario ${scenario}; expected one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
scenarios[scenario]().catch((error) => {
  console.log(`not ok - ${error.stack || error}`);
  process.exit(1);
});
