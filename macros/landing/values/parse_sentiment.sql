{#- csm_touchpoints.sentiment as a number from -1 (negative) to 1 (positive), case-insensitive:
    positive 1, neutral 0, negative -1, or a number from -1 to 1 as given (the scale sentiment
    analysis tools write). A double; null when the text is missing or none of these (numbers
    on other scales, 1-5 or 0-10, included: they cannot be told from this one). -#}
{% macro parse_sentiment(text) -%}
  case
    when lower({{ text }}) = 'positive' then cast(1 as double)
    when lower({{ text }}) = 'neutral' then cast(0 as double)
    when lower({{ text }}) = 'negative' then cast(-1 as double)
    when {{ try_cast_as(text, 'double') }} >= -1 and {{ try_cast_as(text, 'double') }} <= 1 then {{ try_cast_as(text, 'double') }}
  end
{%- endmacro %}

{#- The word for a sentiment number: the nearest of positive (1), neutral (0) and negative (-1);
    halfway (0.5 / -0.5) goes to the side of 0.5 and to neutral, as the touchpoint_sentiment
    component's default limits do (green from 0.75, red below 0.25 on its 0-1 scale). -#}
{% macro sentiment_word(score) -%}
  case
    when {{ score }} >= 0.5 then 'positive'
    when {{ score }} < -0.5 then 'negative'
    when {{ score }} is not null then 'neutral'
  end
{%- endmacro %}

{% macro sentiment_expected() %}{{ return('positive, neutral, negative or a number from -1 to 1') }}{% endmacro %}
