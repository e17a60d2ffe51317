import { describe, expect, it } from 'vitest';
import { parseCsv, readFaceSet } from './dataset';

const img = (n: number) => new Uint8Array(n * 2304).map((_, i) => Math.floor(i / 2304));

describe('parseCsv', () => {
  it('handles quotes, escaped quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });
});

describe('readFaceSet', () => {
  const meta = [
    'index,usage,emotion,ferplus_neutral,ferplus_happiness,ferplus_surprise,ferplus_sadness,ferplus_anger,ferplus_disgust,ferplus_fear',
    '0,Training,3,0,9,1,0,0,0,0',
    '1,PublicTest,-1,,,,,,,',
    '2,PublicTest,0,5,0,0,0,5,0,0',
    '1,PublicTest,6,8,1,0,0,0,0,0',
  ].join('\n');

  it('reads labels in order, skips -1, follows the index column and filters on usage', () => {
    const all = readFaceSet(img(3), meta);
    expect(all.labels).toEqual([3, 0, 6]);
    expect(all.faces.map((f) => f[0])).toEqual([0, 2, 1]);
    const pub = readFaceSet(img(3), meta, 'PublicTest');
    expect(pub.labels).toEqual([0, 6]);
  });

  it('takes the FER+ majority only when one emotion has more than half the votes', () => {
    expect(readFaceSet(img(3), meta).ferplusMajority).toEqual([3, -1, 6]);
  });

  it('fails clearly on malformed input', () => {
    expect(() => readFaceSet(new Uint8Array(100), meta)).toThrow(/whole number of 48x48/);
    expect(() => readFaceSet(img(3), 'usage,label\nTraining,1')).toThrow(/no "emotion" column/);
    expect(() => readFaceSet(img(3), 'emotion\n9')).toThrow(/not an integer from -1 to 6/);
    expect(() => readFaceSet(img(1), 'index,emotion\n5,1')).toThrow(/outside the images file/);
    expect(() => readFaceSet(img(3), meta, 'PrivateTest')).toThrow(/no labelled pictures/);
    expect(() => readFaceSet(img(3), 'emotion\n1', 'PublicTest')).toThrow(/no "usage" column/);
  });
});
