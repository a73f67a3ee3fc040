package dev.bilevel.experiments.run;

/** {@link ProgressReporter#silent()}. */
enum SilentProgressReporter implements ProgressReporter {
    INSTANCE;

    @Override
    public void start(String task, long total) {
    }

    @Override
    public void step(long done, String message) {
    }

    @Override
    public void close() {
    }
}
