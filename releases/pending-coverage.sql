-- Pending for the upgrade script from 0.1.0 (branch coverage, issue 19):
-- the forecast intervals are calibrated (docs/forecast_intervals.md); no
-- signature or name changes, only this COMMENT.  The type's stored form is
-- unchanged on disk (the factor sits in former padding; text and binary
-- forms gained an optional calib), so stored models need no
-- conversion.
COMMENT ON FUNCTION @extschema@.forecast(@extschema@.forecast_model, integer) IS 'Forecast the horizon months after the model''s last month: the first day of each month, the point forecast and 80 % and 95 % prediction intervals (analytic with t quantiles for additive errors, 4000 simulated paths from a fixed seed for multiplicative ones), widened by the model''s calibration factor (from refits on the series less its last 18 and 9 months: docs/forecast_intervals.md; none in models of 0.1.0). Horizon outside 1..600 is ERROR 22023.';
