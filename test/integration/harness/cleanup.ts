/**
 * A stack of undo actions. Tests push one for everything they start or create (a namespace,
 * a daemon, a temp dir) and run them all in afterAll/finally, newest first, so that a
 * daemon is stopped before the namespace it lives in is deleted. One failing undo must not
 * leave the rest undone, so errors are collected and reported at the end.
 */
export class Cleanup {
  private readonly actions: { label: string; action: () => unknown }[] = [];

  defer(label: string, action: () => unknown): void {
    this.actions.push({ label, action });
  }

  async run(): Promise<void> {
    const errors: string[] = [];
    while (this.actions.length > 0) {
      const { label, action } = this.actions.pop()!;
      try {
        await action();
      } catch (error) {
        errors.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (errors.length > 0) throw new Error(`cleanup failed:\n${errors.join('\n')}`);
  }
}
