// The service's pages driven in Debian's Chromium by playwright-core, as a
// person would use them: a letter's QR code opened, a code typed, an
// objection made, an algorithm read. On every page: axe-core's WCAG 2.1 A
// and AA rules (RGAA's basis) with no violation, no Content-Security-Policy
// violation, no console error. With PROACTIF_SCREENSHOTS=FOLDER, each main
// page is also saved there as a PNG (docs/screens/).
//
// node tests/browser/pages.mjs BASE_URL LETTER_CODE OBJECTION_CODE AGENT_LOGIN AGENT_PASSWORD RUN SUBJECT
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [base, letterCode, objectionCode, login, password, run, subject] = process.argv.slice(2);
const screens = process.env.PROACTIF_SCREENSHOTS;
const failures = [];
const check = (condition, message) => {
  if (!condition) {
    failures.push(message);
    console.log('FAIL:', message);
  }
  return condition;
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const problems = [];
// A form sent back with answers to correct is answered 400, as it should.
let answersToCorrect = false;
const correcting = (status) => answersToCorrect && status === 400;
page.on('console', (m) => {
  if (m.type() === 'error' && !correcting(m.text().includes('status of 400') ? 400 : 0))
    problems.push(`${page.url()}: console: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
page.on('response', (r) => {
  if (r.status() >= 400 && r.status() !== 429 && !correcting(r.status())) problems.push(`${r.url()}: HTTP ${r.status()}`);
});
// A request the browser itself cancels when the page is left (the favicon
// of a page a form submits away from) is not a failure of the service.
page.on('requestfailed', (r) => {
  if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${r.url()}: ${r.failure()?.errorText}`);
});

// axe-core is evaluated through the DevTools protocol, which the page's
// Content-Security-Policy does not govern: the policy stays as served.
async function accessible(name) {
  await page.evaluate(axeSource + '\n;0');
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  for (const v of result.violations)
    check(false, `${name}: axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  check(result.passes.length > 10, `${name}: axe ran ${result.passes.length} passing rules only`);
  // Reflow (WCAG 1.4.10): nothing wider than the window.
  const [wide, window] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(wide <= window, `${name}: the page is ${wide} px wide in a ${window} px window`);
  if (screens) await page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: name !== 'algorithme-c2s' });
}

async function text() { return page.locator('main').innerText(); }

// At the counter: the identity of the person asking, and where she lives.
async function personAsking() {
  await page.getByLabel('Nom de naissance').fill('BERNARD');
  await page.getByLabel('Prénoms').fill('ELODIE');
  await page.getByLabel('Date de naissance').fill('1990-03-10');
  await page.locator('label[for="sexe-F"]').click();
  await page.getByLabel('Commune de résidence').fill('38185');
}

try {
  await page.goto(`${base}/`);
  check((await page.locator('h1').innerText()).includes('Vos droits'), 'home: no title');
  check(await page.evaluate(() => getComputedStyle(document.querySelector('.fr-header')).display !== 'inline'),
        'home: the design system\'s style is not applied');
  await accessible('accueil');

  // The letter's QR code: the verification page with its code.
  await page.goto(`${base}/verifier?code=${letterCode}`);
  check((await text()).includes('Ce message est authentique'), 'a letter\'s code is not said authentic');
  check(!(await text()).includes('€'), 'the verification page shows an amount');
  await accessible('verifier-authentique');

  // A code typed by hand, unknown.
  await page.goto(`${base}/verifier`);
  await page.getByLabel('Code du message').fill('zzzz-zzzz-zzzz');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.waitForURL(/verifier\?code=/);
  check((await text()).includes('ne correspond à aucun message'), 'an unknown code is not said unknown');
  await accessible('verifier-inconnu');

  // An objection, with the code of a message, for every right.
  await page.goto(`${base}/m-opposer?code=${objectionCode}`);
  check(await page.getByLabel('Code du message').inputValue() === objectionCode, 'the objection form lost the code');
  await accessible('m-opposer');
  // The design system draws its own radio button: the label takes the click.
  await page.locator('label[for=portee-tous]').click();
  check(await page.getByLabel('pour tous les droits').isChecked(), 'the scope "all" cannot be chosen');
  await page.getByRole('button', { name: 'Enregistrer mon opposition' }).click();
  await page.waitForLoadState();
  check((await text()).includes('Votre opposition est enregistrée'), `objection: ${(await text()).slice(0, 300)}`);
  check((await text()).includes('pour tous les droits'), 'the confirmation does not say its scope');
  await accessible('opposition-enregistree');

  // The public algorithms: the index, then the C2S's page.
  await page.goto(`${base}/algorithmes`);
  await accessible('algorithmes');
  await page.getByRole('link', { name: 'Complémentaire santé solidaire (C2S)' }).click();
  await page.waitForURL(/algorithmes\/c2s$/);
  check((await page.locator('h1').innerText()).includes('Complémentaire santé solidaire'), 'the C2S page has no title');
  check((await text()).includes('Conditions que l\'algorithme n\'examine pas'), 'the C2S page omits what it does not examine');
  await accessible('algorithme-c2s');

  // "Suis-je concerné ?" for the C2S: a few answers, the answer explained.
  await page.goto(`${base}/suis-je-concerne`);
  await accessible('suis-je-concerne');
  await page.getByRole('link', { name: 'Complémentaire santé solidaire (C2S)' }).click();
  await page.getByLabel('Commune de résidence').fill('38185');
  await page.getByLabel('Situation de logement').selectOption('tenant');
  await page.getByLabel('Aide au logement perçue').fill('0');
  await page.getByLabel('Ressources des 12 derniers mois').fill('7 200');
  await page.locator('label[for="foyer_complet"]').click();  // the person lives alone: the C2S is decided for the foyer
  await accessible('suis-je-concerne-c2s');
  await page.getByRole('button', { name: 'Voir la réponse' }).click();
  await page.waitForLoadState();
  check((await text()).includes('Vous pourriez avoir droit à cette aide'), `simulator: ${(await text()).slice(0, 400)}`);
  check((await text()).includes('Ressources des 12 derniers mois : 7'), 'the simulator\'s answer does not show the data used');
  await accessible('suis-je-concerne-reponse');
  // A postcode that is another commune's INSEE code: the person chooses
  // among the two, in a list checked for accessibility, and is answered
  // for the one chosen.
  await page.goto(`${base}/suis-je-concerne/m-reso-solidaire`);
  await page.getByLabel('Commune de résidence').fill('38400');
  await page.getByLabel('Quotient familial CAF').fill('500');
  answersToCorrect = true;
  await page.getByRole('button', { name: 'Voir la réponse' }).click();
  await page.waitForLoadState();
  answersToCorrect = false;
  check(!(await text()).includes('remplissez pas'), 'a postcode read as another commune\'s INSEE code');
  await accessible('suis-je-concerne-commune-a-choisir');
  await page.locator('label', { hasText: 'Saint-Martin-d\'Hères (code postal 38400, département 38)' }).click();
  await page.getByRole('button', { name: 'Voir la réponse' }).click();
  await page.waitForLoadState();
  check((await text()).includes('Vous pourriez avoir droit à cette aide') && (await text()).includes('Saint-Martin-d\'Hères (38421)'),
        `the commune chosen: ${(await text()).slice(0, 600)}`);
  // A person added before the household is stated (the statement asked is
  // then about the new list, not ticked over it: a reviewer had to say they
  // lived alone before adding their spouse).
  await page.goto(`${base}/suis-je-concerne/rsa`);
  await page.getByRole('button', { name: 'Ajouter une personne vivant avec vous' }).click();
  await page.waitForLoadState();
  check(await page.locator('[name="personne2.role"]').count() === 1, 'adding a person is held by the household statement');
  check(!(await page.locator('#foyer_complet').isChecked()), 'the household statement stays ticked over another list');

  // An agent: sign-in, the campaigns, a campaign's funnel, a household's decisions, a linkage pair decided, sign-out.
  await page.goto(`${base}/agent`);
  check(page.url().endsWith('/agent/connexion'), `the agent pages are open without signing in: ${page.url()}`);
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill(password);
  await accessible('agent-connexion');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/agent$/);
  await accessible('agent-campagnes');
  await page.getByRole('link', { name: run }).click();
  await page.waitForURL(/\/agent\/campagne\?run=/);
  check((await text()).includes('Du foyer évalué à l\'action'), 'the campaign page has no funnel');
  await accessible('agent-campagne');
  await page.goto(`${base}/agent`);
  await page.getByLabel('Décisions gardées sur un foyer').fill(subject);
  await page.getByRole('button', { name: 'Voir les décisions' }).click();
  await page.waitForURL(/\/agent\/foyer\?sujet=/);
  check((await text()).includes('Décision du'), 'the household page shows no decision');
  await accessible('agent-foyer');
  // The linkage review queue: a pair decided, to be applied by the next ingestion.
  await page.goto(`${base}/agent`);
  await page.getByRole('link', { name: 'Rapprochements d\'identité à revoir' }).click();
  await page.waitForURL(/\/agent\/rapprochements$/);
  check((await text()).includes('paires à revoir'), 'the review queue says nothing of its pairs');
  await accessible('agent-rapprochements');
  await page.getByRole('button', { name: /: Deux personnes$/ }).first().click();
  await page.waitForURL(/\/agent\/rapprochements\?fait=\d+$/);
  check((await text()).includes('Décision enregistrée sur la paire'), 'deciding a pair says nothing');
  // A person at the counter: an instant decision; without API Particulier
  // here, the document to bring is named.
  await page.goto(`${base}/agent/demande?programme=m-reso-solidaire`);
  await personAsking();
  await accessible('agent-demande');
  await page.getByRole('button', { name: 'Décider' }).click();
  await page.waitForURL(/\/agent\/demande$/);
  check((await text()).includes('Justificatifs à apporter') && (await text()).includes('Référence de la décision'),
    'the instant decision page names no document nor reference');
  await accessible('agent-demande-decision');
  // The C2S is decided for the foyer: at the counter, for a person who
  // lives alone, or with the persons who live with them, which the agent
  // states are all.
  await page.goto(`${base}/agent/demande?programme=c2s`);
  const alone = page.getByLabel('La personne vit seule', { exact: false });
  check(await alone.count() === 1 && await alone.evaluate((box) => box.required),
    'the C2S at the counter does not ask whether the person lives alone');
  await accessible('agent-demande-c2s');
  await personAsking();
  await page.getByLabel('Situation de logement').selectOption('tenant');
  await page.getByLabel('Aide au logement perçue', { exact: false }).fill('0');
  await page.locator('[name="personne1.resources_12m"]').fill('9 000');
  // Adding a person keeps what was typed; nothing is decided meanwhile.
  await page.getByRole('button', { name: 'Ajouter une personne vivant avec elle' }).click();
  await page.waitForURL(/\/agent\/demande#personne2$/);
  check(await page.getByRole('group', { name: 'Personne 2 vivant avec elle' }).count() === 1 &&
    await page.locator('[name="personne1.resources_12m"]').inputValue() === '9 000',
    'adding a person at the counter lost the answers or shows no second person');
  const all = page.getByLabel('Les personnes indiquées sont toutes celles qui vivent avec la personne');
  check(await all.count() === 1 && await all.evaluate((box) => box.required),
    'a household at the counter is not stated complete');
  check(await page.locator('[name="personne2.role"] option[value="applicant"]').count() === 0,
    'another person may be given the place of the person asking');
  await page.locator('[name="personne2.role"]').selectOption('spouse');
  await page.locator('[name="personne2.birth_date"]').fill('1988-05-01');
  await page.locator('[name="personne2.resources_12m"]').fill('10000');
  await accessible('agent-demande-c2s-foyer');
  // The statement is of the list as it stands: adding or removing a person
  // asks for it again.
  await page.locator('label[for="foyer_complet"]').click();
  await page.getByRole('button', { name: 'Ajouter une personne vivant avec elle' }).click();
  await page.waitForURL(/\/agent\/demande#personne3$/);
  check(await page.getByRole('group', { name: 'Personne 3 vivant avec elle' }).count() === 1 && !(await all.isChecked()),
    'the household stated complete stays ticked once a person is added');
  await page.getByRole('button', { name: /^Retirer la dernière personne/ }).click();
  await page.waitForURL(/\/agent\/demande#foyer$/);
  check(await page.getByRole('group', { name: 'Personne 3 vivant avec elle' }).count() === 0 && !(await all.isChecked()) &&
    await page.locator('[name="personne2.resources_12m"]').inputValue() === '10000',
    'removing the last person lost the answers or kept the statement');
  await page.locator('label[for="foyer_complet"]').click();
  await page.getByRole('button', { name: 'Décider' }).click();
  await page.waitForURL(/\/agent\/demande$/);
  // A couple of 35 and 37 on 1 January 2026, 19 000 EUR: above the free
  // C2S's ceiling for two (15 632 EUR since 1 April 2026), under the
  // participation's (21 103 EUR): 14 + 14 EUR a month.
  const decided = await text();
  check(decided.includes('Référence de la décision') && decided.includes('Participation mensuelle totale du foyer : 28 €/mois'),
    `the household's decision at the counter gives no reference or a wrong participation: ${decided.match(/Résultat :[^\n]*/)}`);
  check(decided.includes('Foyer retenu (CSS R861-2) : p1, p2'), 'the decision does not say who the foyer counts');
  // The RSA's student status: fetched where the service is linked to API
  // Particulier, else the person's word, as the claim form takes it; the
  // form says when their statement is read.
  await page.goto(`${base}/agent/demande?programme=rsa`);
  await personAsking();
  await page.getByLabel('Situation de logement').selectOption('tenant');
  await page.getByLabel('Aide au logement perçue', { exact: false }).fill('0');
  await page.locator('[name="personne1.resources_3m"]').fill('0');
  check(await page.getByRole('group', {
    name: /Inscription dans l'enseignement supérieur.*Déclaration de la personne.*n'est pas relié à API Particulier/,
  }).count() === 1, 'the RSA at the counter does not ask the student status, or not say when the statement is read');
  await page.locator('label[for="personne1.student-non"]').click();
  await page.locator('label[for="foyer_complet"]').click();
  await accessible('agent-demande-rsa');
  await page.getByRole('button', { name: 'Décider' }).click();
  await page.waitForURL(/\/agent\/demande$/);
  const rsa = await text();
  check(rsa.includes('La personne remplit les conditions examinées') && !rsa.includes('Justificatifs à apporter') &&
    rsa.includes('déclaré par la personne lors de sa demande (comme au formulaire de demande de RSA'),
    `the RSA at the counter with the student status stated: ${rsa.slice(0, 600)}`);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL(/\/agent\/connexion$/);

  // On a phone's width too.
  await page.setViewportSize({ width: 375, height: 800 });
  for (const where of ['/', `/verifier?code=${letterCode}`, '/m-opposer', '/algorithmes/rsa', '/suis-je-concerne/rsa', '/agent/connexion']) {
    await page.goto(`${base}${where}`);
    const [wide, window] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(wide <= window, `${where} on a phone: ${wide} px wide in a ${window} px window`);
  }
} catch (e) {
  check(false, `the pages could not be driven: ${e.stack}`);
} finally {
  await browser.close();
}
for (const p of problems) check(false, p);
console.log(`pages.mjs: ${failures.length ? 'failed' : 'passed'}`);
process.exit(failures.length ? 1 : 0);
