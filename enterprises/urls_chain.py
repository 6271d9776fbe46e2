from django.urls import path

from enterprises import views_chain, views_industry_chains

urlpatterns: list = [
    path("chains/", views_chain.chain_index, name="enterprises-chains"),
    # Named under enterprises-chains so that the menu marks them as 产业链图谱.
    path("chains/industry/", views_industry_chains.industry_chain_index, name="enterprises-chains-industry"),
    path("chains/industry/<int:pk>/", views_industry_chains.industry_chain_detail,
         name="enterprises-chains-industry-detail"),
    path("chains/industry/<int:pk>/leads/", views_industry_chains.industry_chain_add_lead,
         name="enterprises-chains-industry-add-lead"),
    path("chains/industry/<int:pk>/leads/<int:enterprise_pk>/remove/", views_industry_chains.industry_chain_remove_lead,
         name="enterprises-chains-industry-remove-lead"),
    path("chains/situations/", views_industry_chains.situation_index, name="enterprises-chains-situations"),
    path("chains/situations/<int:pk>/", views_industry_chains.situation_detail,
         name="enterprises-chains-situation"),
    path("chains/situations/<int:pk>/export/", views_industry_chains.situation_export,
         name="enterprises-chains-situation-export"),
    path("<int:pk>/chain/", views_chain.chain_detail, name="enterprises-chain"),
    path("<int:pk>/chain/export/", views_chain.chain_export, name="enterprises-chain-export"),
    path("<int:pk>/served/", views_chain.served, name="enterprises-served"),
]
