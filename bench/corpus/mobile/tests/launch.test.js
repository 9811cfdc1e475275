const { parseLaunch } = require('../src/launch');

test('parses a real launch URL captured from the site', () => {
  const url = 'moodlemobile://token=NTFmOWI2NDJjZGQzYmFkNDljYzcxYmY0NGY3ZmVkMjk6Ojo2ZjdjZTM3YTZhYWU3ZWMxNjZiMWVhMGY1MzQyOTVlYzo6Oks5QldueWRNSlF4Y1dOY0RxWndiazRTSU1jMlhMQzJoMkRqRUgwRWpyZmF6NnpPYkpNM25ycWNVOGwwbDk4Ymc=';
  const parsed = parseLaunch(url);
  expect(parsed.token).toHaveLength(32);
});
