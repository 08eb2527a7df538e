package io.sluice.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A part of the SPI that may still change shape between minor versions, as Flink's
 * {@code @PublicEvolving} and Trino's {@code @Experimental} mark theirs: a plugin may use it, and
 * should expect to follow a change in it. Everything unmarked in {@code io.sluice.core} keeps
 * working for plugins written against an older Sluice (new capabilities arrive as defaults).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Evolving {}
