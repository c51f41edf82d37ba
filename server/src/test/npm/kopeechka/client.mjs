// Drives @sadzurami/kopeechka-store against the node named by its arguments: base URL, token, site.
// Prints one JSON line per step; reads a line on stdin before waiting for the letter (the test sends it then).
import { Kopeechka, DomainGroup } from '@sadzurami/kopeechka-store';
import readline from 'node:readline';

const [baseUrl, key, site] = process.argv.slice(2);
const kopeechka = new Kopeechka({ key, baseUrl });
const say = (step, value) => console.log(JSON.stringify({ step, value }));
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

try {
  say('balance', await kopeechka.getBalance());
  say('domains', await kopeechka.getDomains(site));
  const email = await kopeechka.orderEmail(site, { domains: DomainGroup.Kopeechka });
  say('email', email);
  say('noMessageYet', await kopeechka.getMessage(email));
  await lines.next();
  say('message', await kopeechka.waitMessage(email, { timeout: 30000 }));
  say('full', await kopeechka.getMessage(email, { full: true }));
  await kopeechka.reorderEmail(site, email);
  await kopeechka.refreshEmailId(site, email);
  say('reordered', await kopeechka.getMessage(email));
  await kopeechka.cancelEmail(email);
  say('cancelled', true);
  say('balanceAfter', await kopeechka.getBalance());
} catch (error) {
  say('error', String(error) + ' <- ' + String(error.cause));
  process.exitCode = 1;
}
process.exit();
