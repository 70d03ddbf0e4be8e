{#- A ridge logistic regression fitted in SQL by Newton steps (the suggested weights). -#}

{#- Fit a logistic regression by Newton's method (iteratively reweighted least squares) with a
    ridge penalty `l2` on the slopes (not the intercept), and return the coefficients as a dict:
    {'intercept': b, 'slopes': [w1, ...], 'rows': n, 'iterations': k, 'converged': bool}.

    `training_sql` is a select with the 0/1 column `target_column` and numeric `features`
    (no nulls). Each iteration runs one aggregate query for the gradient and the Hessian; the
    small linear system is solved here, in Jinja, so the fit needs no Python model and runs on
    any engine. Returns none when the training set is empty or at parse time; no intercept and
    no slopes (none) when every outcome is the same, since no coefficient is learnt then. -#}
{% macro fit_logistic_regression(training_sql, features, target_column, l2=1.0, max_iterations=50, tolerance=1e-10) %}
  {%- if not execute -%}{{ return(none) }}{%- endif -%}
  {%- set k = features | length -%}
  {%- set ns = namespace(params=[0.0] * (k + 1), iterations=0, converged=false, rows=0) -%}
  {#- column 0 is the intercept: x0 = 1 -#}
  {%- set terms = ['1.0'] + features -%}
  {%- for iteration in range(max_iterations) -%}{%- if not ns.converged -%}
    {%- set predictor -%}
      {{ ns.params[0] }}{% for feature in features %} + ({{ ns.params[loop.index] }}) * {{ feature }}{% endfor %}
    {%- endset -%}
    {%- set query -%}
      select
        count(*) as n_rows,
        sum({{ target_column }}) as n_positive
        {%- for i in range(k + 1) %}
        , sum((p - {{ target_column }}) * {{ terms[i] }}) as g_{{ i }}
        {%- endfor %}
        {%- for i in range(k + 1) %}{% for j in range(i, k + 1) %}
        , sum(p * (1 - p) * {{ terms[i] }} * {{ terms[j] }}) as h_{{ i }}_{{ j }}
        {%- endfor %}{% endfor %}
      from (
        select
          training.*,
          1.0 / (1.0 + exp(-greatest(least({{ predictor }}, 30.0), -30.0))) as p
        from ({{ training_sql }}) as training
      ) as predicted
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set ns.rows = row[0] | int -%}
    {%- if ns.rows == 0 -%}{{ return(none) }}{%- endif -%}
    {#- every outcome the same (no churn yet): the intercept runs off to infinity and nothing is
        learnt, so there is no fit to iterate towards (50 queries for nothing) -#}
    {%- if (row[1] | int) in (0, ns.rows) -%}
      {{ return({'intercept': none, 'slopes': [none] * k, 'rows': ns.rows, 'iterations': 0, 'converged': false}) }}
    {%- endif -%}
    {%- set gradient = [] -%}
    {%- set hessian = [] -%}
    {%- for i in range(k + 1) -%}
      {%- do gradient.append((row[2 + i] | float) + (l2 * ns.params[i] if i > 0 else 0.0)) -%}
      {%- set hessian_row = [] -%}
      {%- for j in range(k + 1) -%}
        {%- set a, b = (i, j) if i <= j else (j, i) -%}
        {%- set value = row['h_' ~ a ~ '_' ~ b] | float -%}
        {%- do hessian_row.append(value + (l2 if (i == j and i > 0) else 0.0)) -%}
      {%- endfor -%}
      {%- do hessian.append(hessian_row) -%}
    {%- endfor -%}
    {%- set step = solve_positive_definite(hessian, gradient) -%}
    {%- set updated = [] -%}
    {%- set change = namespace(largest=0.0) -%}
    {%- for i in range(k + 1) -%}
      {%- do updated.append(ns.params[i] - step[i]) -%}
      {%- if (step[i] | abs) > change.largest -%}{%- set change.largest = step[i] | abs -%}{%- endif -%}
    {%- endfor -%}
    {%- set ns.params = updated -%}
    {%- set ns.iterations = iteration + 1 -%}
    {%- set ns.converged = change.largest < tolerance -%}
  {%- endif -%}{%- endfor -%}
  {{ return({'intercept': ns.params[0], 'slopes': ns.params[1:], 'rows': ns.rows,
             'iterations': ns.iterations, 'converged': ns.converged}) }}
{% endmacro %}

{#- Solve A x = b for a symmetric positive definite A (a list of rows) by Gaussian elimination
    without pivoting (safe for such matrices: the ridge term keeps the Hessian one). A zero
    pivot (a feature that never varies and no ridge) gives that unknown 0. -#}
{% macro solve_positive_definite(matrix, vector) %}
  {%- set n = vector | length -%}
  {%- set rows = [] -%}
  {%- for i in range(n) -%}
    {%- do rows.append(matrix[i] + [vector[i]]) -%}
  {%- endfor -%}
  {%- for pivot in range(n) -%}
    {%- for i in range(pivot + 1, n) -%}
      {%- if rows[pivot][pivot] != 0 -%}
        {%- set factor = rows[i][pivot] / rows[pivot][pivot] -%}
        {%- set reduced = [] -%}
        {%- for j in range(n + 1) -%}
          {%- do reduced.append(rows[i][j] - factor * rows[pivot][j]) -%}
        {%- endfor -%}
        {%- do rows.pop(i) -%}
        {%- do rows.insert(i, reduced) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- set solution = {} -%}
  {%- for i in range(n - 1, -1, -1) -%}
    {%- set acc = namespace(value=rows[i][n]) -%}
    {%- for j in range(i + 1, n) -%}
      {%- set acc.value = acc.value - rows[i][j] * solution[j] -%}
    {%- endfor -%}
    {%- do solution.update({i: (acc.value / rows[i][i]) if rows[i][i] != 0 else 0.0}) -%}
  {%- endfor -%}
  {%- set ordered = [] -%}
  {%- for i in range(n) -%}{%- do ordered.append(solution[i]) -%}{%- endfor -%}
  {{ return(ordered) }}
{% endmacro %}
