package io.mcpgw.spi.policy;

import io.mcpgw.spi.ExtensionFactory;

/** Creates a {@link PolicyEvaluator} for one entry of the {@code policy:} list. */
public interface PolicyEvaluatorFactory extends ExtensionFactory<PolicyEvaluator> {}
