package io.jingnei.core.call;

/**
 * What an admitted call holds against its caller's limits until it ends ({@code limits.Reservation}).
 * The call only carries it; the limits that made it settle or release it. An interface here, so
 * the per-call context does not point up at the limits.
 */
public interface Hold {
}
