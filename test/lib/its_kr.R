# Reference for test/its.sql and test/bench/its_calibration.sh: interrupted
# time series by R's nlme::gls (AR(1)
# errors over month positions, REML) and the Kenward-Roger (1997) adjusted
# variance with Satterthwaite's df for one contrast, from the paper's general
# formulas with dense matrices (P_i, Q_ij, R_ij, expected REML information).
# Rscript its_kr.R MODE FILE reads a CSV (id, m = month number, y, t0 =
# intervention month number) and writes CSV rows (id, name, a, b, c, d, e):
#   gls: per coefficient (level, trend, pre_trend) the estimate, model SE,
#        KR SE, KR df (within 1 .. n - p, as its_effect) and qt(0.975, df);
#        per id rho, sigma and seasonal (1/0) in a;
#   ols: per level and trend the lower and upper 95 % bounds of lm's confint;
#   qt:  reads (id, df, name) instead and writes id, name, qt(0.975, df);
#   bench: per id nlme's and lm's 95 % bounds of level and trend (rows gls
#        and ols: level lo, hi, trend lo, hi) and the seconds in gls.
suppressMessages(library(nlme))
args <- commandArgs(TRUE)
mode <- args[1]
d <- read.csv(args[2])
kr <- function(X, pos, rho, s2, cs) {
  lag <- abs(outer(pos, pos, "-"))
  R <- rho^lag
  D1 <- ifelse(lag == 0, 0, lag * rho^pmax(lag - 1, 0))
  D2 <- ifelse(lag < 2, 0, lag * (lag - 1) * rho^pmax(lag - 2, 0))
  Sig <- s2 * R; Si <- solve(Sig)
  dS <- list(R, s2 * D1)
  d2S <- list(list(0 * R, D1), list(D1, s2 * D2))
  Phi <- solve(t(X) %*% Si %*% X)
  P <- lapply(dS, function(A) -t(X) %*% Si %*% A %*% Si %*% X)
  PR <- Si - Si %*% X %*% Phi %*% t(X) %*% Si
  I <- matrix(0, 2, 2)
  for (i in 1:2) for (j in 1:2) I[i, j] <- 0.5 * sum(diag(PR %*% dS[[i]] %*% PR %*% dS[[j]]))
  W <- solve(I)
  S <- 0 * Phi
  for (i in 1:2) for (j in 1:2) {
    Q <- t(X) %*% Si %*% dS[[i]] %*% Si %*% dS[[j]] %*% Si %*% X
    Rij <- t(X) %*% Si %*% d2S[[i]][[j]] %*% Si %*% X
    S <- S + W[i, j] * (Q - P[[i]] %*% Phi %*% P[[j]] - Rij / 4)
  }
  PhiA <- Phi + 2 * Phi %*% S %*% Phi
  t(sapply(cs, function(cc) {
    g <- drop(t(cc) %*% Phi %*% cc)
    grad <- sapply(P, function(Pi) -drop(t(cc) %*% Phi %*% Pi %*% Phi %*% cc))
    c(se = sqrt(g), se_kr = sqrt(drop(t(cc) %*% PhiA %*% cc)),
      df = 2 * g^2 / drop(t(grad) %*% W %*% grad))
  }))
}
# design of one series as its_effect builds it
design <- function(s) {
  s$t <- s$m - s$t0; s$after <- as.numeric(s$t >= 0); s$ta <- s$t * s$after
  s$mon <- factor(s$m %% 12); s$pos <- s$m - min(s$m)
  b <- s$m[s$t < 0]; a <- s$m[s$t >= 0]
  s$seasonal <- nrow(s) >= 24 && all(table(factor(s$m %% 12, levels = 0:11)) >= 2) &&
    (max(b) - min(b) >= 12 || max(a) - min(a) >= 12)
  s
}
form <- function(s) if (s$seasonal[1]) y ~ t + after + ta + mon else y ~ t + after + ta
out <- function(...) writeLines(sprintf("%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g", ...))
if (mode == "qt") {
  # Student t quantiles at given df (columns id, df, name)
  writeLines(sprintf("%s,%s,%.17g", d$id, d$name, qt(0.975, d$df)))
  quit(save = "no")
}
if (mode == "bench") {
  # test/bench/its_calibration.sh: nlme's own intervals (t with n - p df) and
  # lm's, and the seconds spent in gls and its intervals
  el <- 0
  for (id in unique(d$id)) {
    s <- design(d[d$id == id, ])
    t1 <- proc.time()[["elapsed"]]
    ci <- tryCatch(intervals(gls(form(s), s, correlation = corAR1(form = ~ pos), method = "REML"),
                             which = "coef")$coef, error = function(e) NULL)
    el <- el + proc.time()[["elapsed"]] - t1
    if (!is.null(ci)) out(id, "gls", ci[3, 1], ci[3, 3], ci[4, 1], ci[4, 3], NA)
    o <- confint(lm(form(s), s))
    out(id, "ols", o[3, 1], o[3, 2], o[4, 1], o[4, 2], NA)
  }
  out("all", "seconds", el, NA, NA, NA, NA)
  quit(save = "no")
}
for (id in unique(d$id)) {
  s <- design(d[d$id == id, ])
  if (mode == "ols") {
    # ordinary least squares: the broken method the calibration must reject
    ci <- confint(lm(form(s), s))
    out(id, c("level", "trend"), ci[3:4, 1], ci[3:4, 2], NA, NA, NA)
    next
  }
  f <- gls(form(s), s, correlation = corAR1(form = ~ pos), method = "REML")
  rho <- coef(f$modelStruct$corStruct, unconstrained = FALSE)
  X <- model.matrix(form(s), s)
  p <- ncol(X)
  cs <- lapply(c(3, 4, 2), function(k) as.numeric((1:p) == k))
  k <- kr(X, s$pos, rho, f$sigma^2, cs)
  df <- pmin(pmax(k[, "df"], 1), nrow(s) - p)
  out(id, c("level", "trend", "pre_trend"), coef(f)[c(3, 4, 2)], k[, "se"], k[, "se_kr"], df, qt(0.975, df))
  out(id, c("rho", "sigma", "seasonal"), c(rho, f$sigma, s$seasonal[1]), NA, NA, NA, NA)
}
