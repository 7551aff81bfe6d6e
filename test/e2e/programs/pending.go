package programs

// Pending lists the policies the expectation tables rely on that were NOT in the pack when this
// suite was last updated, with who/what they wait for. Tests expecting them keep failing (never
// skipped) until the policy lands; TestPackHasExpectedPolicies lists the gaps. Remove an entry
// once the pack ships the policy.
var Pending = map[string]string{}
