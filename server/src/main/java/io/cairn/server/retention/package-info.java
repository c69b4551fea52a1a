/**
 * Retention: which versions and which trash a namespace keeps (the policy, a pure function of
 * their times and a clock), and the pass that records the rest as expired in the journal, so that
 * history and restore stop offering them and garbage collection, after its grace, frees their
 * chunks (ADR 0014).
 */
package io.cairn.server.retention;
