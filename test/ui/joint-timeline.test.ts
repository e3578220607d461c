/** Compare mode's joint timeline: the first run's records, then the compared run's past its end. */
import { describe, expect, it } from 'vitest';
import { jointAt } from '../../src/ui/joint-timeline.js';

describe('jointAt', () => {
  it("stands on the first run's records up to its end, the compared run following", () => {
    expect(jointAt(0, 2400, 334)).toEqual({ cursor: 0, beyond: 0 });
    expect(jointAt(900, 2400, 334)).toEqual({ cursor: 900, beyond: 0 });
    expect(jointAt(2400, 2400, 334)).toEqual({ cursor: 2400, beyond: 0 });
  });

  it("goes on past the first run's end through the compared run's later records, the first holding at its end", () => {
    expect(jointAt(2405, 2400, 334)).toEqual({ cursor: 2400, beyond: 5 });
    expect(jointAt(2734, 2400, 334)).toEqual({ cursor: 2400, beyond: 334 });
  });

  it('clamps to the ends of the longer run, and past nothing when the compared run ends first', () => {
    expect(jointAt(1e9, 2400, 334)).toEqual({ cursor: 2400, beyond: 334 });
    expect(jointAt(-3, 2400, 334)).toEqual({ cursor: 0, beyond: 0 });
    expect(jointAt(1e9, 2400, 0)).toEqual({ cursor: 2400, beyond: 0 });
    expect(jointAt(2401.7, 2400, 334)).toEqual({ cursor: 2400, beyond: 1 });
  });
});
