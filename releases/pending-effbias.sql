-- Pending for the next upgrade script (branch effbias, issue 19): fold into
-- actionplan--0.1.0--<next>.sql.  No object's name, signature or type
-- changes; stay_effect's default horizon changes in the C code (the shared
-- library), and its COMMENTs say what it now estimates.  stay_effect's
-- serialized state (parallel aggregation only) gets version 2: a backend
-- that loaded the 0.1.0 library before the new one was installed refuses
-- its new workers' states with 22P03 (reconnect after the upgrade).

COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date) IS 'Care days and cost saved by the treated stays against the untreated stays of the group, seen at as_of (open stays censored there, later stays left out). Estimates n_treated × (RMST_untreated(tau) - RMST_treated(tau)): the days the treated stays would have lasted, counted up to tau days of each stay, at the untreated stays'' lengths, less their own; days after tau are not counted. tau is the upper quartile of the stays'' follow-up as_of - start (both groups; taken from the start days, not the lengths, so that it does not bias the estimate), cut to a group''s longest length unless its curve has fallen to 0 there. 95 % interval from the Greenwood-type variances (as R survfit''s rmean); cost at the treated stays'' mean daily cost. Assumes comparable groups: see stay_effect_result and docs/effect_calibration.md.';
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date, integer) IS 'stay_effect with stay lengths counted up to a given horizon in days (1 .. 36525; NULL: the default, the upper quartile of as_of - start): estimates n_treated × (RMST_untreated(h) - RMST_treated(h)). A horizon beyond a group''s longest follow-up is ERROR 22023 unless that group''s curve has fallen to 0. Fix it in advance for reporting.';
