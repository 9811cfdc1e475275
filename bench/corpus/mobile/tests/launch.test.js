const { parseLaunch } = require('../src/launch');

test('parses a real launch URL captured from the site', () => {
  const url = 'moodlemobile://token=ZWFkMzEyMTNkNGJlZGNkYjQ5MzgxNmJkMDYyMmY2NWY6Ojo2MGM5MzE2ZGNhYmQ3ZWE4NWU1NWRiYjc3ZjJhMTMxODo6OmJiSkRSWk11WGpHcHdmUlhoZXMxandHTlUxTmROa0FSekVNWnd4WFNLRnltSm1XOWxiY1lYWm5Yc2NXRElmVU4=';
  const parsed = parseLaunch(url);
  expect(parsed.token).toHaveLength(32);
});
