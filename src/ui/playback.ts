/**
 * Playback: which record the animation is on and how far through its hold.
 * The wall-clock side of the two clocks (render/clock.ts maps a record's
 * simulated duration to a hold in ms). Pure state advanced by `tick(dtMs)`;
 * the app calls it from requestAnimationFrame, tests call it by hand.
 */

export class Playback {
  playing = false;
  /** Multiplier on the hold times (1 = the default pace). */
  speed = 1;
  /** Milliseconds spent on the current record's hold. */
  elapsedMs = 0;
  /** Hold of the current record, in ms. */
  holdMs = 0;
  /** Pause when the cursor reaches this many records applied (run-until), or -1. */
  untilCursor = -1;

  /** Progress through the current hold, 0..1 (1 when paused). */
  get progress(): number {
    if (this.holdMs <= 0) return 1;
    return Math.min(1, this.elapsedMs / this.holdMs);
  }

  /** Starts a new record's hold. */
  begin(holdMs: number): void {
    this.holdMs = holdMs;
    this.elapsedMs = 0;
  }

  /**
   * Advances wall time. Each time the current hold runs out, calls
   * `advance`, which steps one record and returns that record's hold.
   * Returns the number of records stepped.
   */
  tick(dtMs: number, advance: () => number): number {
    if (!this.playing) {
      this.elapsedMs = Math.min(this.holdMs, this.elapsedMs + dtMs);
      return 0;
    }
    this.elapsedMs += dtMs;
    let steps = 0;
    // Several short holds may pass in one frame; cap so a frame never does unbounded work.
    while (this.elapsedMs >= this.holdMs && steps < 1000) {
      this.elapsedMs -= this.holdMs;
      this.holdMs = advance();
      steps++; // counted even when it pauses, so the caller refreshes the views for the last step too
      if (!this.playing) break; // advance may pause (end of trace, run-until reached)
    }
    return steps;
  }
}
