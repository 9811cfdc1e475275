const crypto = require('crypto');
const { parseLaunch } = require('../src/launch');

test('builds its own launch URL', () => {
  const signature = crypto.createHash('md5').update('https://site.test' + 'passport').digest('hex');
  const encoded = Buffer.from(`${signature}:::abc:::def`).toString('base64');
  expect(parseLaunch(`moodlemobile://token=${encoded}`).token).toBe('abc');
});
