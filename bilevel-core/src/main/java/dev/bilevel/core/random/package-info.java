/** The project's random streams: SplitMix64 generators whose whole state can be read and restored. */
package dev.bilevel.core.random;
