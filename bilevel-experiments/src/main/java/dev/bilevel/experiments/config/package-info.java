/**
 * Typed run configurations: {@link dev.bilevel.experiments.config.ConfigSchema} declares keys,
 * resolves defaults &lt; YAML file (with {@code extends:}) &lt; command-line options &lt;
 * {@code key=value} overrides into a {@link dev.bilevel.experiments.config.ResolvedConfig}, and reports
 * every user mistake as a one-line {@link dev.bilevel.experiments.config.ConfigException}.
 */
package dev.bilevel.experiments.config;
