/**
 * Keeps personal information from the LLM. Before a request goes upstream a {@link
 * io.jingnei.core.pii.PiiSession} replaces phone numbers, ID numbers, cards and the like with
 * placeholders ({@code [手机号1]}); the answer, whole or streamed, is unmasked with the same session.
 * Detection is pattern plus check digit or range, so look-alikes (order numbers, amounts, dates,
 * numbers failing their checksum) stay as they are.
 */
package io.jingnei.core.pii;
