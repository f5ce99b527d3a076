// Drives Debian's Chromium (headless, through playwright-core) against a
// running fieldpost: the list of public channels, a public channel's live
// page, and a private channel's page with and without its key. Started by
// tests/integration/browser/browser_test.cc, which runs the servers and creates the
// channels; exits non-zero with the reason when a check fails.
//
//   node channel_page.mjs BASE_URL OUT_DIR PUBLIC_ID WRITE_KEY PRIVATE_ID READ_KEY PRIVATE_NAME
//                         USER_KEY
//
// BASE_URL is where fieldpost is mounted ("http://127.0.0.1:8080/" or
// ".../iot/"); screenshots go to OUT_DIR.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const [base, outDir, publicId, writeKey, privateId, readKey, privateName, userKey] =
    process.argv.slice(2);
if (!userKey) {
  console.error('usage: channel_page.mjs BASE_URL OUT_DIR PUBLIC_ID WRITE_KEY PRIVATE_ID ' +
                'READ_KEY PRIVATE_NAME USER_KEY');
  process.exit(2);
}
mkdirSync(outDir, {recursive: true});
const origin = new URL(base).origin;
const kLiveDeadlineMs = 2000;  // the promise: a new reading shows within 2 s

// Flags for a sandboxed root without network: no first-run, no background
// connections to Google (refused here, and slow).
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Every page is watched: a script error, a console error (CSP violations
// are reported there) or a request to another site fails the test.
const problems = [];
async function newPage(viewport) {
  const context = await browser.newContext({viewport});
  const page = await context.newPage();
  page.on('pageerror', error => problems.push('page error: ' + error.message));
  page.on('console', message => {
    // Failed loads are judged by the response handler below.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      problems.push('console error: ' + message.text());
    }
  });
  page.on('request', request => {
    if (new URL(request.url()).origin !== origin) problems.push('request to ' + request.url());
  });
  page.on('response', response => {
    // 403 is the private page's own status; anything else must succeed.
    if (response.status() >= 400 && response.status() !== 403) {
      problems.push(response.status() + ' for ' + response.url());
    }
  });
  return page;
}

async function screenshot(page, name) {
  await page.screenshot({path: join(outDir, name + '.png'), fullPage: true});
}

// Every visible form control has a label; the charts are labelled groups.
async function checkAccessibleMarkup(page) {
  const unlabelled = await page.evaluate(
      () => Array.from(document.querySelectorAll('input, button'))
                .filter(c => c.checkVisibility())
                .filter(c => c.tagName === 'INPUT' ? c.labels.length === 0 : !c.textContent.trim())
                .map(c => c.outerHTML));
  assert.deepEqual(unlabelled, [], 'controls without a label');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const charts = await page.$$eval('.chart', cs => cs.map(c => [c.getAttribute('role'),
                                                                 c.getAttribute('aria-label')]));
  for (const [role, label] of charts) {
    assert.equal(role, 'group');
    assert.ok(label && label.startsWith('Chart of '), 'chart label: ' + label);
  }
}

async function postReading(query) {
  const response = await fetch(base + 'update?api_key=' + writeKey + '&' + query);
  const body = await response.text();
  assert.equal(response.status, 200, 'update answered ' + response.status + ' ' + body);
  assert.ok(Number(body) > 0, 'update was not stored: ' + body);
  return Number(body);
}

// The chart state the page shows for a field: rows and the newest value,
// read from the Dygraph itself.
function chartState(page, field) {
  return page.evaluate(field => {
    const graph = window.fieldpostPage && window.fieldpostPage.chart(field);
    if (!graph) return null;
    const rows = graph.numRows();
    return {rows, last: rows ? graph.getValue(rows - 1, 1) : null, zoomed: graph.isZoomed()};
  }, field);
}

async function checkHome() {
  const page = await newPage({width: 1280, height: 800});
  const response = await page.goto(base);
  assert.equal(response.status(), 200);
  const card = page.locator(`li.card[data-channel="${publicId}"]`);
  await card.waitFor();
  assert.match(await card.locator('dd').first().textContent(), /\d/);
  const text = await page.textContent('main');
  assert.ok(!text.includes(privateName), 'the list shows the private channel');
  // Times are shown as "... ago" once the script has run.
  await page.waitForFunction(() => /ago$/.test(document.querySelector('.card time').textContent));
  // The list keeps itself current too.
  const value = (10 + Math.random() * 5).toFixed(3);
  await postReading('field1=' + value);
  const posted = Date.now();
  await page.waitForFunction(([id, value]) => {
    const card = document.querySelector(`li.card[data-channel="${id}"]`);
    return card && card.querySelector('dd').textContent === value &&
           /ago$/.test(card.querySelector('time').textContent);
  }, [publicId, value], {timeout: 5000, polling: 50});
  const latency = Date.now() - posted;
  console.log(`list shows the new reading after ${latency} ms`);
  assert.ok(latency <= kLiveDeadlineMs, `the list took ${latency} ms to show it`);
  // A channel made public meanwhile joins the list.
  const created = await fetch(base + 'channels.json', {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: 'api_key=' + userKey + '&name=Pond%20level&public_flag=true&field1=Level',
  });
  assert.equal(created.status, 200, 'channel create answered ' + created.status);
  const pond = (await created.json()).id;
  await page.locator(`li.card[data-channel="${pond}"] h2`).filter({hasText: 'Pond level'})
      .waitFor({timeout: 5000});
  assert.equal(await page.locator(`li.card[data-channel="${publicId}"]`).count(), 1);
  await screenshot(page, 'home');
  // The card links to the channel's page.
  await card.locator('h2 a').click();
  await page.waitForURL(new RegExp(`/channels/${publicId}$`));
  await page.context().close();
}

async function checkLivePage() {
  const page = await newPage({width: 1280, height: 900});
  const response = await page.goto(base + 'channels/' + publicId);
  assert.equal(response.status(), 200);
  await checkAccessibleMarkup(page);
  await page.waitForFunction(() => window.fieldpostPage && window.fieldpostPage.chart(1));
  const before = await chartState(page, 1);
  assert.ok(before.rows >= 1, 'chart has the existing readings');

  // A new reading through the API appears as the value and on the chart.
  const value = (20 + Math.random() * 10).toFixed(2);
  await postReading('field1=' + value + '&field2=55');
  const posted = Date.now();
  await page.waitForFunction(([value, rows]) => {
    const graph = window.fieldpostPage.chart(1);
    return document.getElementById('field1-value').textContent === value &&
           graph.numRows() === rows + 1 && graph.getValue(rows, 1) === Number(value);
  }, [value, before.rows], {timeout: 5000, polling: 50});
  const latency = Date.now() - posted;
  console.log(`live update shown after ${latency} ms`);
  assert.ok(latency <= kLiveDeadlineMs, `the new reading took ${latency} ms to show`);
  assert.equal(await page.textContent('#field2-value'), '55');
  assert.match(await page.textContent('#last-change'), /New reading/);
  assert.match(await page.textContent('#live'), /^Live/);
  await screenshot(page, 'channel-after-update');

  // Chart windows: each reloads the chart with the readings in it. The
  // history (browser_test.cc) has one reading 2 hours, one 3 days and one
  // 10 days old besides the last half hour's, so each window shows a
  // different number of them.
  const day = before.rows + 1;
  for (const [span, rows] of [['hour', day - 1], ['week', day + 1], ['all', day + 2],
                              ['day', day]]) {
    await page.check(`input[name="window"][value="${span}"]`);
    await page.waitForFunction(
        ([rows, label]) => window.fieldpostPage.chart(1).numRows() === rows &&
                           document.getElementById('field1-chart').getAttribute('aria-label')
                               .endsWith(label + ': ' + rows + ' readings'),
        [rows, span === 'all' ? 'all' : 'last ' + span]);
  }
  // Zoom: drag across the chart, then reset with the button.
  const box = await page.locator('#field1-chart canvas').first().boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, {steps: 8});
  await page.mouse.up();
  const zoomed = await chartState(page, 1);
  assert.equal(zoomed.zoomed, true, 'dragging zooms the chart');
  // A live reading keeps the reader's zoom.
  await postReading('field1=23.25');
  await page.waitForFunction(rows => window.fieldpostPage.chart(1).numRows() === rows,
                             zoomed.rows + 1);
  assert.equal((await chartState(page, 1)).zoomed, true, 'a new reading reset the zoom');
  // A reading uploaded late (bulk, 7 minutes old) goes into the chart in
  // time order, and the value shown stays the API's fields/1/last: the
  // newest reading by time, not the one that arrived last.
  // created_at is unique in a channel, and the history has one reading a
  // minute: step back from 7 min 13 s ago to a second no reading has (the
  // test reaches here at a varying time after the history was posted).
  const history = await (await fetch(base + 'channels/' + publicId +
                                     '/feeds.json?results=8000')).json();
  const taken = new Set(history.feeds.map(entry => entry.created_at));
  let lateMs = Math.floor((Date.now() - 433000) / 1000) * 1000;
  while (taken.has(new Date(lateMs).toISOString().slice(0, 19) + 'Z')) lateMs -= 1000;
  const late = new Date(lateMs).toISOString().replace('T', ' ').slice(0, 19);
  const bulk = await fetch(base + 'channels/' + publicId + '/bulk_update.json', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({write_api_key: writeKey, updates: [{created_at: late, field1: '99.5'}]}),
  });
  assert.equal(bulk.status, 202, 'bulk update answered ' + bulk.status);
  await page.waitForFunction(rows => window.fieldpostPage.chart(1).numRows() === rows,
                             zoomed.rows + 2);
  const last = await (await fetch(base + 'channels/' + publicId + '/fields/1/last.txt')).text();
  assert.equal(last, '23.25');
  assert.equal(await page.locator('#field1-value').textContent(), '23.25',
               'a late reading replaced the last one shown');
  const ordered = await page.evaluate(() => {
    const graph = window.fieldpostPage.chart(1);
    for (let row = 1; row < graph.numRows(); ++row) {
      if (graph.getValue(row, 0) < graph.getValue(row - 1, 0)) return false;
    }
    return true;
  });
  assert.ok(ordered, 'the chart is not in time order');
  await page.click('#reset-zoom');
  assert.equal((await chartState(page, 1)).zoomed, false, 'Reset zoom shows the whole window');

  // A field written for the first time gets its own section and chart.
  assert.equal(await page.locator('#field3').count(), 0);
  await postReading('field3=7.5');
  await page.waitForFunction(
      () => document.getElementById('field3-value')?.textContent === '7.5' &&
            window.fieldpostPage?.chart(3)?.numRows() === 1,
      null, {timeout: 5000, polling: 50});
  await page.context().close();

  // On a phone the page fits the screen's width.
  const phone = await newPage({width: 390, height: 844});
  await phone.goto(base + 'channels/' + publicId);
  await phone.waitForFunction(() => window.fieldpostPage && window.fieldpostPage.chart(1));
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `the phone page is ${overflow} px too wide`);
  await screenshot(phone, 'channel-phone');
  await phone.context().close();
}

async function checkPrivatePage() {
  const page = await newPage({width: 1280, height: 800});
  const response = await page.goto(base + 'channels/' + privateId);
  assert.equal(response.status(), 403);
  assert.equal(await page.locator('#channel').count(), 0, 'private page shows the channel');
  const text = await page.textContent('body');
  assert.match(text, /private/);
  assert.ok(!text.includes(privateName), 'private page shows the channel name');
  assert.ok(!/\d+\.\d+/.test(text), 'private page shows a reading');
  await checkAccessibleMarkup(page);
  await screenshot(page, 'private-without-key');

  // Entering the read key opens the page.
  await page.fill('#api_key', readKey);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#channel');
  assert.equal(await page.textContent('h1'), privateName);
  await page.waitForFunction(() => window.fieldpostPage && window.fieldpostPage.chart(1));
  await screenshot(page, 'private-with-key');
  await page.context().close();
}

try {
  await checkHome();
  await checkLivePage();
  await checkPrivatePage();
  assert.deepEqual(problems, [], 'problems seen by the browser');
  console.log('browser checks passed; screenshots in ' + outDir);
} catch (error) {
  console.error(error.stack || String(error));
  if (problems.length) console.error('the browser also saw:\n' + problems.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
