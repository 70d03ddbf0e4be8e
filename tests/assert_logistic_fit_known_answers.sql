{#- The logistic regression behind the suggested weights (macros/statistics/logistic_regression.sql) recovers
    coefficients known in closed form. Without a penalty the maximum-likelihood fit reproduces
    the observed log-odds of every cell a model can fit exactly:
      one binary feature: x = 0 has 1 churn in 4 (log-odds ln(1/3)), x = 1 has 3 in 4 (ln 3):
        intercept ln(1/3) = -1.098612, slope ln 3 - ln(1/3) = 2.197225;
      two binary features whose cells' log-odds add up: (0,0) 1 in 2 (0), (1,0) 3 in 4 (ln 3),
        (0,1) 1 in 4 (-ln 3), (1,1) 1 in 2 (0): intercept 0, slopes ln 3 and -ln 3.
    With the ridge penalty a perfectly separating feature still gets a finite, converged fit
    pointing the right way. Returns one row per coefficient that is off. -#}
{%- set one_feature_sql -%}
    select y, x from (values (1, 0), (0, 0), (0, 0), (0, 0), (1, 1), (1, 1), (1, 1), (0, 1)) as cells (y, x)
{%- endset -%}
{%- set two_feature_sql -%}
    select y, x1, x2 from (values
        (1, 0, 0), (0, 0, 0),
        (1, 1, 0), (1, 1, 0), (1, 1, 0), (0, 1, 0),
        (1, 0, 1), (0, 0, 1), (0, 0, 1), (0, 0, 1),
        (1, 1, 1), (0, 1, 1)
    ) as cells (y, x1, x2)
{%- endset -%}
{%- set separated_sql -%}
    select y, x from (values (1, -1.0), (1, -0.5), (0, 0.5), (0, 1.0)) as cells (y, x)
{%- endset -%}
{%- set one = fit_logistic_regression(one_feature_sql, ['x'], 'y', l2=0) -%}
{%- set two = fit_logistic_regression(two_feature_sql, ['x1', 'x2'], 'y', l2=0) -%}
{%- set separated = fit_logistic_regression(separated_sql, ['x'], 'y', l2=1.0) -%}
{%- set checks = [] -%}
{%- if one and two and separated -%}
    {%- do checks.append(('one feature: intercept', one.intercept, -1.0986122886681098)) -%}
    {%- do checks.append(('one feature: slope', one.slopes[0], 2.1972245773362196)) -%}
    {%- do checks.append(('two features: intercept', two.intercept, 0.0)) -%}
    {%- do checks.append(('two features: slope 1', two.slopes[0], 1.0986122886681098)) -%}
    {%- do checks.append(('two features: slope 2', two.slopes[1], -1.0986122886681098)) -%}
    {%- do checks.append(('separated, ridge: converged', 1 if separated.converged else 0, 1)) -%}
    {%- do checks.append(('separated, ridge: protective', 1 if separated.slopes[0] < 0 else 0, 1)) -%}
{%- else -%}
    {%- do checks.append(('the fit returned nothing', 0, 1)) -%}
{%- endif %}
with checks as (
    {%- for name, fitted, expected in checks %}
    select
        '{{ name }}' as coefficient,
        cast({{ fitted }} as double) as fitted,
        cast({{ expected }} as double) as expected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from checks
where abs(fitted - expected) > 0.000001
