import { md5 } from '../src/util/md5';

describe('md5', () => {
  it('matches the reference vectors', () => {
    expect(md5('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5('wstoken')).toBe('24ab69215e22519b23e983635902620e');
    expect(md5('privatetoken')).toBe('d590f495ccf04b8346db5225bfabc922');
  });
});
